#!/usr/bin/env bash
# Installs dependencies, builds everything (Release) and runs the whole test suite with
# ctest: GoogleTest unit tests, MPI tests on 2 ranks, command-line contract tests and the
# analysis package's pytest suite. Then rebuilds the unit tests and the binary with
# AddressSanitizer and UBSan (Debug) and runs the unit and command-line tests again. Exit status is non-zero if anything fails.
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
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L 'unit'
  # The command-line tests start MPI (tmorder run), whose libraries keep allocations from
  # MPI_Init until exit: suppress leaks whose stacks run through Open MPI and its plugins
  # (full stacks, and plugins kept loaded, so the suppressions can see them). Our own
  # allocations stay checked.
  OMPI_MCA_mca_base_component_disable_dlclose=1 \
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan-openmpi.supp:print_suppressions=0" \
  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L 'cli'
fi
