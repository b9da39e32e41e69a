#!/bin/bash
# Issue 16, step 1: relaxed training energies for Ni/Sb/Cu, and a test of the cheap route.
# The five 2:1 Na3Ni2SbO6 cells (nisb13-n3-s1..s5, 12 atoms: the honeycomb and the four
# arrangements with Sb-Sb neighbours whose ideal-site cost sets the model's ~9000 K Tc) are
# relaxed twice, positions and cell (BFGS, fmax 0.05 eV/A, at most 60 steps, Pulay stress
# corrected), started 0.02 A off the ideal sites (seed 0) so that BFGS leaves the symmetric
# saddle:
#   results-relaxed/        at the full settings of the single points (PBE+U, 450 eV,
#                           k density 13.5 A: 3x3x3); the reference;
#   results-relaxed-cheap/  relaxed at 350 eV and k density 9 A (2x2x2), then one single
#                           point at the full settings on the relaxed geometry
#                           (relax_settings, jobs/dft/README.md).
# Their energy differences say whether the cheap route is sound for the rest of the set.
# One one-core driver per route, niced so that compilation and tests on the same machine keep
# priority. Resumable: a relaxation killed part-way continues from its last BFGS step.
set -euo pipefail
cd "$(dirname "$0")"
driver=../../../jobs/dft/tmorder_dft.py
full='{"relax": {"fmax_eV_per_A": 0.05, "max_steps": 60, "cell": true, "rattle_angstrom": 0.02, "seed": 0}}'
cheap='{"relax": {"fmax_eV_per_A": 0.05, "max_steps": 60, "cell": true, "rattle_angstrom": 0.02, "seed": 0,
          "relax_settings": {"ecut_eV": 350.0, "kpoint_density_per_inv_angstrom": 9.0}}}'
subset="nisb13-n3-s1-d3 nisb13-n3-s2-d3 nisb13-n3-s3-d3 nisb13-n3-s4-d3 nisb13-n3-s5-d3"
export OMP_NUM_THREADS=1
mkdir -p results-relaxed results-relaxed-cheap
( nice -n 19 taskset -c 1 /usr/bin/python3 $driver run structures.extxyz results-relaxed \
    --settings "$full" --only $subset >> driver-relaxed.log 2>&1 ) &
( nice -n 19 taskset -c 0 /usr/bin/python3 $driver run structures.extxyz results-relaxed-cheap \
    --settings "$cheap" --only $subset >> driver-relaxed-cheap.log 2>&1
  nice -n 19 taskset -c 0 /usr/bin/python3 $driver run structures.extxyz results-relaxed \
    --settings "$full" --only $subset --reverse >> driver-relaxed.log 2>&1 ) &
wait
