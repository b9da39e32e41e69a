#!/bin/bash
# Computes the Mn/Al DFT data on this machine with two one-core drivers sharing each results
# folder (lock files keep them apart). Resumable: rerun after an interruption (a structure
# interrupted mid-relaxation continues from its last BFGS step: jobs/dft/README.md).
#  1. results-unrelaxed/: single points of all 16 structures at the ideal O3 sites: the
#     training set of the shipped model (README.md says what it can and cannot represent).
#  2. results/: positions and cell relaxed (BFGS, forces and stress x volume below
#     0.05 eV/A, at most 60 steps, Pulay stress corrected) for the end members and the three
#     Al = 1/2 cells: the Jahn-Teller distortion of NaMnO2 against experiment and how much
#     relaxation changes the ordering energies. The start is moved off the ideal sites
#     (random symmetric strain up to 2 %, 0.03 A per atom, seed 0): from the exact R-3m sites
#     forces and stress keep the trigonal symmetry and BFGS would never find the
#     Jahn-Teller-distorted minimum.
#     Then the two lowest Al = 1/3 row cells (12 atoms; two stackings of the same in-plane
#     Mn Al Mn rows, 3.5 meV/TM apart at the ideal sites): does relaxation reorder them, as it
#     reorders the two Al = 1/2 row cells.
# mnal25-n5-s2-d2 oscillated in both plain attempts (stage 1) and was converged by rerunning it
# with smearing annealing (0.2 eV, then 0.05 eV from that density; jobs/dft/README.md):
#   tmorder_dft.py run structures.extxyz results-unrelaxed --retry-failed --only mnal25-n5-s2-d2 \
#     --settings '{"mixer": {"beta": 0.02, "nmaxold": 5, "weight": 100.0}, "scf_fallback":
#       {"after_iterations": 3, "mixer": {"beta": 0.02, "nmaxold": 5, "weight": 100.0}, "anneal_width_eV": 0.2}}'
set -euo pipefail
cd "$(dirname "$0")"
driver=../../../jobs/dft/tmorder_dft.py
relax='{"relax": {"fmax_eV_per_A": 0.05, "max_steps": 60, "cell": true, "rattle_angstrom": 0.03, "strain": 0.02, "seed": 0}}'
relaxed_subset="mnal0-n1-s1-d1 mnal0-n1-s1-d2 mnal12-n2-s1-d1 mnal12-n2-s2-d1 mnal12-n2-s3-d1 mnal13-n3-s1-d1 mnal13-n3-s3-d1"
export OMP_NUM_THREADS=1
for core in 0 1; do
  order=$([ $core = 0 ] && echo --reverse || true)
  ( taskset -c $core /usr/bin/python3 $driver run structures.extxyz results-unrelaxed $order >> driver-unrelaxed.log 2>&1
    taskset -c $core /usr/bin/python3 $driver run structures.extxyz results --settings "$relax" --only $relaxed_subset $order \
      >> driver-relaxed.log 2>&1 ) &
done
wait
