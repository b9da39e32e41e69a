#!/usr/bin/env bash
# The main job on the shipped default model (README, first command): install dependencies,
# build in Release, describe the O3 NaTMO2 Ni/Sb/Cu cluster space, compute the correlation
# vectors of the shipped example orderings (honeycomb, Cu-substituted honeycomb,
# disordered), and write them to HDF5 with a plot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTMORDER_BUILD_TESTS=OFF -DTMORDER_BUILD_BENCH=OFF > /dev/null
cmake --build build -j"$(nproc)" --target tmorder

model=clusters/o3-nanisbcu/model.toml
mkdir -p results
./build/tmorder info "$model"
./build/tmorder build-model "$model" -o results/o3-nanisbcu.model.json --force
./build/tmorder correlations results/o3-nanisbcu.model.json clusters/o3-nanisbcu/examples/*.vasp \
  -o results/o3-nanisbcu_cluster_space.h5 --force
/usr/bin/python3 analysis/plot_cluster_space.py results/o3-nanisbcu_cluster_space.h5 \
  -o results/o3-nanisbcu_cluster_space.png
echo "demo done: results/o3-nanisbcu_cluster_space.h5, results/o3-nanisbcu_cluster_space.png"
