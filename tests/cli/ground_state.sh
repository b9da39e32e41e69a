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
compositions=$(grep -c '^TM:' "$SCRATCH/stdout")
frames=$(grep -c 'ce_energy_per_cell=' gs.extxyz)
[ "$compositions" -eq "$frames" ] || fail "$frames frames for $compositions compositions"
grep -q 'model_sha256=' gs.extxyz || fail "no provenance in the ground-state file"
run_ok "the ground states map back onto the model" -- "$TMORDER" correlations "$MODEL" gs.extxyz

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
cp gs.extxyz before.extxyz
expect_fail 2 "existing output without --force" "gs.extxyz" "refusing to overwrite" -- \
  "$TMORDER" ground-state "$MODEL" --max-size 2 -o gs.extxyz
cmp -s gs.extxyz before.extxyz || fail "existing output was changed"

echo "PASS: ground_state"
