#!/usr/bin/env bash
# Command-line contract of `tmorder enumerate`: the Hart-Forcade count for fcc binary, the
# provenance keys of every frame, the round trip through `tmorder correlations`, the
# farthest-point training set, POSCAR output, and bad input (exit 2, nothing written).
#
# Usage: bash enumerate.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=enumerate
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"

# clusters/fcc is ternary {Cu, Au, Va}; the published counts are for a binary.
cat >fcc2.toml <<'EOT'
[model]
name = "fcc-binary"

[structure]
cell = [[0.0, 2.0, 2.0], [2.0, 0.0, 2.0], [2.0, 2.0, 0.0]]
positions = [[0.0, 0.0, 0.0]]
species = ["Cu"]

[[sublattices]]
name = "M"
sites = "Cu"
species = ["Cu", "Au"]

[clusters]
cutoffs = [6.0, 4.5]
EOT
MODEL=fcc2.toml
SHA=$(sha256sum "$MODEL" | cut -d' ' -f1)

frames() { grep -c 'Lattice=' "$1" || true; }

# ---- full enumeration, sizes 1..4 ----
run_ok "fcc binary up to size 4" -- "$TMORDER" enumerate "$MODEL" --max-size 4 -o all.extxyz
[ "$(frames all.extxyz)" -eq 29 ] || fail "expected 2+2+6+19 = 29 frames, found $(frames all.extxyz)"
grep -Eq '^ *total +[0-9]+ +29$' stdout || fail "the table lacks 'total ... 29': $(cat stdout)"
grep -Eq '^ *4 +7 +19$' stdout || fail "the table lacks size 4: 7 supercells, 19 structures: $(cat stdout)"
for key in config_id= size= supercell_matrix= occupation= composition= model=fcc-binary \
  "model_sha256=$SHA" tmorder_version=; do
  n=$(grep 'Lattice=' all.extxyz | grep -cF -- "$key" || true)
  [ "$n" -eq 29 ] || fail "only $n of 29 frames carry '$key'"
done
[ "$(grep -o 'config_id=[^ ]*' all.extxyz | sort -u | wc -l)" -eq 29 ] || fail "config_id values are not unique"
grep -q 'config_id=n4-s' all.extxyz || fail "no config_id of the form n4-s<k>-d<j>"

run_ok "tmorder correlations reads the enumerated file back" -- "$TMORDER" correlations "$MODEL" all.extxyz
[ "$(head -n 1 stdout | wc -w)" -eq $((3 + 29)) ] || fail "correlations did not report 29 structures: $(head -n 1 stdout)"

run_ok "--min-size 2 leaves out size 1" -- "$TMORDER" enumerate "$MODEL" --min-size 2 --max-size 4 -o min2.extxyz
[ "$(frames min2.extxyz)" -eq 27 ] || fail "expected 2+6+19 = 27 frames with --min-size 2, found $(frames min2.extxyz)"

run_ok "--composition M:Au:0:0 keeps only pure Cu" -- \
  "$TMORDER" enumerate "$MODEL" --max-size 4 --composition M:Au:0:0 -o cu.extxyz
[ "$(frames cu.extxyz)" -eq 1 ] || fail "expected 1 frame with no Au, found $(frames cu.extxyz)"
grep -q 'composition="M:Cu=1,Au=0"' cu.extxyz || fail "the pure-Cu frame has the wrong composition"
run_ok "--composition M:Au:0.25:0.5" -- \
  "$TMORDER" enumerate "$MODEL" --max-size 4 --composition M:Au:0.25:0.5 -o half.extxyz
grep -q 'config_id=n1' half.extxyz && fail "a pure structure passed --composition M:Au:0.25:0.5"
# ids do not depend on --composition: every frame appears, with its id, in the full file.
for id in $(grep -o 'config_id=[^ ]*' half.extxyz); do
  grep -q "$id " all.extxyz || grep -q "$id\$" all.extxyz || fail "$id is not in the full enumeration"
done

# ---- training set ----
run_ok "--training-set 10" -- "$TMORDER" enumerate "$MODEL" --max-size 4 --training-set 10 --seed 5 -o ts1.extxyz
[ "$(frames ts1.extxyz)" -eq 10 ] || fail "expected 10 frames in the training set, found $(frames ts1.extxyz)"
grep -q 'config_id=n1-s1-d1' ts1.extxyz || fail "pure Cu (n1-s1-d1) is not in the training set"
grep -q 'config_id=n1-s1-d2' ts1.extxyz || fail "pure Au (n1-s1-d2) is not in the training set"
n=$(grep 'Lattice=' ts1.extxyz | grep -c 'selection=' || true)
[ "$n" -eq 10 ] || fail "training-set frames lack the selection method key"
grep -q 'farthest-point' ts1.extxyz || fail "the selection key does not name the method"
run_ok "--training-set 10, same seed again" -- \
  "$TMORDER" enumerate "$MODEL" --max-size 4 --training-set 10 --seed 5 -o ts2.extxyz
cmp -s ts1.extxyz ts2.extxyz || fail "the training set differs between two runs with --seed 5"
run_ok "training set round trip" -- "$TMORDER" correlations "$MODEL" ts1.extxyz

# ---- POSCARs ----
run_ok "--poscar-dir" -- "$TMORDER" enumerate "$MODEL" --max-size 3 -o p.extxyz --poscar-dir poscars
[ "$(ls poscars | wc -l)" -eq 10 ] || fail "expected 10 POSCARs (sizes 1..3), found $(ls poscars | wc -l)"
[ -f poscars/n3-s1-d1.vasp ] || fail "poscars/n3-s1-d1.vasp missing: $(ls poscars)"
run_ok "a POSCAR reads back" -- "$TMORDER" correlations "$MODEL" poscars/n3-s1-d1.vasp

# ---- vacancies (clusters/fcc: Cu, Au, Va) are left out as atoms ----
run_ok "ternary fcc with vacancies" -- "$TMORDER" enumerate "$ROOT/clusters/fcc/model.toml" --max-size 2 -o va.extxyz
grep -q '^Va ' va.extxyz && fail "a vacancy was written as an atom"
grep -q 'left out 1 structure' stdout || fail "the all-vacancy structure was not reported as left out: $(cat stdout)"
run_ok "vacancy structures read back" -- "$TMORDER" correlations "$ROOT/clusters/fcc/model.toml" va.extxyz

# ---- bad input: exit 2, the key named, nothing written ----
bad() {
  local desc=$1
  shift
  local patterns=()
  while [ "$1" != "--" ]; do
    patterns+=("$1")
    shift
  done
  shift
  expect_fail 2 "$desc" "${patterns[@]}" -- "$TMORDER" enumerate "$MODEL" -o never.extxyz --poscar-dir never "$@"
  [ ! -e never.extxyz ] || fail "$desc: never.extxyz was written"
  [ ! -e never ] || fail "$desc: the POSCAR directory was created"
}
bad "unknown sublattice in --composition" "--composition 'X:Cu:0:1'" "unknown sublattice 'X'" -- \
  --max-size 2 --composition X:Cu:0:1
bad "unknown species in --composition" "--composition 'M:Ni:0:1'" "species 'Ni'" -- \
  --max-size 2 --composition M:Ni:0:1
bad "--composition with three fields" "--composition 'M:Cu:0.5'" "SUBLATTICE:SPECIES:MIN:MAX" -- \
  --max-size 2 --composition M:Cu:0.5
bad "--composition with a non-number" "--composition 'M:Cu:a:1'" "not a number" -- \
  --max-size 2 --composition M:Cu:a:1
bad "--composition with MIN > MAX" "--composition 'M:Cu:0.8:0.2'" "exceeds MAX" -- \
  --max-size 2 --composition M:Cu:0.8:0.2
bad "--composition outside 0..1" "--composition 'M:Cu:0:1.5'" "outside 0..1" -- \
  --max-size 2 --composition M:Cu:0:1.5
bad "--max-size 0" "--max-size 0" "1 <= N <= 16" -- --max-size 0
bad "--max-size 17" "--max-size 17" "1 <= N <= 16" -- --max-size 17
bad "--min-size above --max-size" "--min-size 3" "--max-size (2)" -- --min-size 3 --max-size 2
bad "--training-set larger than the enumeration" "--training-set 30" "29 structures" -- \
  --max-size 4 --training-set 30
bad "--training-set 1 cannot hold both pure structures" "--training-set 1" "end-member" -- \
  --max-size 4 --training-set 1
bad "--training-set 0" "--training-set 0" "K >= 1" -- --max-size 2 --training-set 0

echo "existing" >exists.extxyz
expect_fail 2 "existing output without --force" "exists.extxyz" "--force" -- \
  "$TMORDER" enumerate "$MODEL" --max-size 2 -o exists.extxyz
[ "$(cat exists.extxyz)" = existing ] || fail "exists.extxyz was overwritten without --force"
run_ok "existing output with --force" -- "$TMORDER" enumerate "$MODEL" --max-size 2 -o exists.extxyz -f
[ "$(frames exists.extxyz)" -eq 4 ] || fail "the forced output does not hold 4 frames"

expect_fail 2 "existing POSCAR without --force" "n1-s1-d1.vasp" "--force" -- \
  "$TMORDER" enumerate "$MODEL" --max-size 3 -o p2.extxyz --poscar-dir poscars
[ ! -e p2.extxyz ] || fail "p2.extxyz was written although a POSCAR exists"

[ -z "$(find . -name '*.tmp-*')" ] || fail "temporary files left behind: $(find . -name '*.tmp-*')"
echo "all enumerate checks passed"
