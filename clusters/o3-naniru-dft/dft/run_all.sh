#!/bin/bash
# Computes the Ni/Ru training single points on this machine: two one-core drivers sharing
# results/ (lock files keep them apart). Resumable: rerun after an interruption.
set -euo pipefail
cd "$(dirname "$0")"
driver=../../../jobs/dft/tmorder_dft.py
export OMP_NUM_THREADS=1
( taskset -c 1 /usr/bin/python3 $driver run structures.extxyz results > driver-core1.log 2>&1 ) &
( taskset -c 0 /usr/bin/python3 $driver run structures.extxyz results --reverse > driver-core0.log 2>&1 ) &
wait
