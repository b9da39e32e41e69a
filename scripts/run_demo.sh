#!/usr/bin/env bash
# The main job on the shipped default (README, first command): install dependencies, build
# in Release, and run replica-exchange Monte Carlo on 2 MPI ranks across the honeycomb
# order-disorder transition of O3 Na(Ni,Cu)2/3Sb1/3O2 with the DFT-fitted model
# clusters/o3-nanisbcu-dft (PBE+U single points; Ewald + short-range cluster expansion),
# probing the energy of moving each Cu from the TM layer into the Na layer at every
# temperature; then plot the honeycomb order parameter, heat capacity and energies versus
# temperature. Writes results/nanisb-honeycomb.h5 and results/nanisb-honeycomb.png (a few
# minutes of Monte Carlo on 2 cores after the build).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTMORDER_BUILD_TESTS=OFF -DTMORDER_BUILD_BENCH=OFF > /dev/null
cmake --build build -j"$(nproc)" --target tmorder

mpi_flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && mpi_flags+=(--allow-run-as-root)
mkdir -p results
./build/tmorder info clusters/o3-nanisbcu-dft/model.json
# --force: the demo replaces its own earlier results; a leftover checkpoint of an
# interrupted demo is resumed.
mpirun -n 2 "${mpi_flags[@]}" ./build/tmorder run inputs/nanisb-honeycomb.toml --force
/usr/bin/python3 analysis/plot_run.py results/nanisb-honeycomb.h5 -o results/nanisb-honeycomb.png
echo "demo done: results/nanisb-honeycomb.h5, results/nanisb-honeycomb.png"
