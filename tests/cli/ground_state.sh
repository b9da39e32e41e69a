#!/usr/bin/env bash
# `tmorder ground-state`: the honeycomb ordering is the ground state of the point-charge
# NaNi2/3Sb1/3O2 model, found by the exhaustive search (3 parent cells) and reached by
# annealing a 6 x 6 x 6 cell; bad input exits 2 and writes nothing.
#
# Usage: bash ground_state.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=ground-state
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"

MODEL="$ROOT/clusters/o3-nanisb-pointcharge/model.toml"

run_ok "exhaustive search and annealing" -- "$TMORDER" ground-state "$MODEL" --max-size 4 -o gs.extxyz \
  --anneal 6,6,6 --composition "TM:Ni=2/3,Sb=1/3" --t-start 6000 --stages 30 --sweeps 200 --seed 3
grep -Eq '^TM: Ni 2/3 Sb 1/3 +3 ' "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "honeycomb (3 cells) is not the 2/3 ground state"; }
grep -q "agree" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "annealing did not reach the exhaustive ground state"; }
e_two=$(awk '/^TM: Ni 2\/3 Sb 1\/3 /{print $(NF-3)}' "$SCRATCH/stdout")
compositions=$(grep -c '^TM:' "$SCRATCH/stdout")
frames=$(grep -c 'ce_energy_per_cell=' gs.extxyz)
[ "$compositions" -eq "$frames" ] || fail "$frames frames for $compositions compositions"
grep -q 'model_sha256=' gs.extxyz || fail "no provenance in the ground-state file"
grep -q 'composition="TM: Ni 2/3 Sb 1/3"' gs.extxyz || fail "composition is not written as one plain quoted string"
run_ok "the ground states map back onto the model" -- "$TMORDER" correlations "$MODEL" gs.extxyz

# --all-degenerate: one frame for every structure counted in the "degenerate" column, the
# printed ground state (degenerate_index 0) first, all at the lowest energy. The fitted Mn/Al
# model has in-plane pairs only, so its orderings are degenerate in their stacking.
LAYER_MODEL="$ROOT/clusters/o3-namnal-dft/model.json"
run_ok "all degenerate structures" -- "$TMORDER" ground-state "$LAYER_MODEL" --max-size 6 -o all.extxyz --all-degenerate
want=$(awk '/^TM:/{s += $NF} END {print s}' "$SCRATCH/stdout")
n_comp=$(grep -c '^TM:' "$SCRATCH/stdout")
got=$(grep -c 'degenerate_index=' all.extxyz)
[ "$want" -eq "$got" ] || fail "$got frames written, the degenerate column sums to $want"
[ "$want" -gt "$n_comp" ] || fail "no composition has a degenerate level: the check would not see a missing frame"
[ "$(grep -c 'degenerate_index=0 ' all.extxyz)" -eq "$n_comp" ] || fail "not one degenerate_index 0 per composition"
/usr/bin/python3 - all.extxyz <<'PY' || fail "degenerate frames do not share their composition's lowest energy"
import re, sys
levels = {}
for line in open(sys.argv[1]):
    if "ce_energy_per_cell=" in line:
        comp = re.search(r'composition="([^"]*)"', line).group(1)
        levels.setdefault(comp, []).append(float(re.search(r"ce_energy_per_cell=(\S+)", line).group(1)))
sys.exit(0 if all(max(e) - min(e) <= 1e-6 for e in levels.values()) else 1)
PY
run_ok "degenerate structures map back onto the model" -- "$TMORDER" correlations "$LAYER_MODEL" all.extxyz
expect_fail 2 "--all-degenerate without an output file" "-o" -- "$TMORDER" ground-state "$MODEL" --max-size 2 --all-degenerate

expect_fail 2 "--max-size 0" "--max-size" -- "$TMORDER" ground-state "$MODEL" --max-size 0
expect_fail 2 "annealing without a composition" "--composition" -- "$TMORDER" ground-state "$MODEL" --max-size 2 --anneal 3,3,3
expect_fail 2 "annealing composition with an unknown species" "Ru" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 --anneal 3,3,3 --composition "TM:Ni=2/3,Ru=1/3"
expect_fail 2 "composition the annealing cell cannot hold" "TM" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 --anneal 2,2,2 --composition "TM:Ni=2/3,Sb=1/3"
expect_fail 2 "malformed --anneal" "--anneal" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 --anneal 3,x,3 --composition "TM:Ni=2/3,Sb=1/3"
expect_fail 2 "model without energy" "neither fitted ECIs" -- \
  "$TMORDER" ground-state "$ROOT/clusters/o3-nanisbcu/model.toml" --max-size 2
# --species: the same point-charge physics in a model with more species (Cu on TM, vacancies
# in the Na layer), searched over Ni/Sb with the Na layer full, must give the 2/3 ground-state
# energy of the two-species model exactly; a 9-integer --anneal matrix (3 x 3 in-plane, 9 TM
# sites, a multiple of the sqrt3 x sqrt3 cell) reaches it.
cp "$ROOT/clusters/o3-nanisb-pointcharge/POSCAR" POSCAR
sed -e 's/species = \["Ni", "Sb"\]/species = ["Ni", "Sb", "Cu"]/' \
    -e 's/charges = { Ni = 2, Sb = 5, Na = 1, O = -2 }/charges = { Ni = 2, Sb = 5, Cu = 2, Na = 1, Va = 0, O = -2 }/' \
    "$ROOT/clusters/o3-nanisb-pointcharge/model.toml" > wide.toml
printf '\n[[sublattices]]\nname = "Na"\nsites = "Na"\nspecies = ["Na", "Va"]\n' >> wide.toml
grep -q '"Cu"' wide.toml && grep -q 'Va = 0' wide.toml || fail "could not build the wider test model"
run_ok "species-restricted search" -- "$TMORDER" ground-state wide.toml --max-size 3 --species TM:Ni,Sb --species Na:Na \
  --anneal 3,-3,0,0,3,-3,0,0,1 --composition "TM:Ni=2/3,Sb=1/3" --composition "Na:Na=1" --t-start 6000 --stages 30 --sweeps 200 --seed 3
grep -q "with species restricted to TM:Ni,Sb, Na:Na" "$SCRATCH/stdout" || fail "the restriction is not reported"
e_wide=$(awk '/^TM: Ni 2\/3 Sb 1\/3; Na: Na 1 /{print $(NF-3)}' "$SCRATCH/stdout")
[ -n "$e_two" ] && [ -n "$e_wide" ] || { cat "$SCRATCH/stdout"; fail "2/3 ground state missing"; }
awk -v a="$e_two" -v b="$e_wide" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-6) }' ||
  fail "restricted search gives $e_wide eV/cell, the two-species model $e_two"
grep -q "Cu" <(grep '^TM:' "$SCRATCH/stdout") && fail "Cu appears although the search was restricted to Ni, Sb"
grep -q "agree" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "annealing in the 9-site matrix cell did not reach the ground state"; }
expect_fail 2 "--species with an unknown species" "Ru" -- "$TMORDER" ground-state wide.toml --max-size 2 --species TM:Ni,Ru
expect_fail 2 "--species with an unknown sublattice" "XX" -- "$TMORDER" ground-state wide.toml --max-size 2 --species XX:Ni
expect_fail 2 "singular --anneal matrix" "--anneal" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 --anneal 1,0,0,1,0,0,0,0,1 --composition "TM:Ni=2/3,Sb=1/3"

cp gs.extxyz before.extxyz
expect_fail 2 "existing output without --force" "gs.extxyz" "refusing to overwrite" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 -o gs.extxyz
cmp -s gs.extxyz before.extxyz || fail "existing output was changed"

echo "PASS: ground_state"
