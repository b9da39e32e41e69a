#!/usr/bin/env bash
# Installs dependencies, builds everything (Release) and runs the whole test suite with
# ctest: GoogleTest unit tests, MPI tests on 2 ranks, command-line contract tests and the
# analysis package's pytest suite. Then rebuilds the unit tests with AddressSanitizer and
# UBSan (Debug) and runs them again. Exit status is non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${TMORDER_SKIP_SANITIZERS:-0}" != "1" ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTMORDER_SANITIZE=ON -DTMORDER_BUILD_BENCH=OFF > /dev/null
  cmake --build build-asan -j"$jobs" --target tmorder_unit_tests tmorder
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L 'unit|cli'
fi
