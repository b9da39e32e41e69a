#!/bin/bash
# Computes the Mn/Al training set on this machine: two one-core drivers sharing results/ (lock
# files keep them apart), each relaxing positions and cell (BFGS, forces below 0.05 eV/A,
# at most 60 steps) before the final PBE+U energy: O'3 is Jahn-Teller distorted, so ideal
# sites are not an option (README.md). Resumable: rerun after an interruption (a structure
# interrupted mid-relaxation starts its relaxation again).
set -euo pipefail
cd "$(dirname "$0")"
driver=../../../jobs/dft/tmorder_dft.py
# The start is moved off the ideal sites (random symmetric strain up to 2 %, 0.03 A per atom,
# seed 0): from the exact R-3m sites the forces and stress keep the trigonal symmetry and BFGS
# would never find the Jahn-Teller-distorted minimum.
relax='{"relax": {"fmax_eV_per_A": 0.05, "max_steps": 60, "cell": true, "rattle_angstrom": 0.03, "strain": 0.02, "seed": 0}}'
export OMP_NUM_THREADS=1
( taskset -c 1 /usr/bin/python3 $driver run structures.extxyz results --settings "$relax" > driver-core1.log 2>&1 ) &
( taskset -c 0 /usr/bin/python3 $driver run structures.extxyz results --settings "$relax" --reverse > driver-core0.log 2>&1 ) &
wait
