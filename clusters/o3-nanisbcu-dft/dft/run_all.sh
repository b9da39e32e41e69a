#!/bin/bash
# Computes the training and validation single points of this model on this machine: two
# one-core drivers sharing results/ (each structure is claimed by a lock file, so they never
# compute the same one). Resumable: rerun after an interruption.
set -euo pipefail
cd "$(dirname "$0")"
driver=../../../jobs/dft/tmorder_dft.py
export OMP_NUM_THREADS=1
( nice -n -15 taskset -c 1 /usr/bin/python3 $driver run structures.extxyz results >> driver-core1.log 2>&1 ) &
( nice -n -10 taskset -c 0 /usr/bin/python3 $driver run validation.extxyz results >> driver-core0.log 2>&1 || true
  nice -n -10 taskset -c 0 /usr/bin/python3 $driver run structures.extxyz results --reverse >> driver-core0.log 2>&1 ) &
wait
