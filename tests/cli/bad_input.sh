#!/usr/bin/env bash
# Command-line contract: bad input makes tmorder exit with status 2 and a message on stderr
# that names the file and the line or key at fault, and says what was expected.
#
# Usage: bash bad_input.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=bad
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"

# A valid triangular model definition; each case below breaks one thing in a copy.
write_model() {
  local file=$1 cell=$2 sites=$3 cutoffs=$4
  cat >"$file" <<EOF
[model]
name = "triangular-test"

[structure]
cell = $cell
positions = [[0.0, 0.0, 0.0]]
species = ["Ni"]

[[sublattices]]
name = "TM"
sites = $sites
species = ["Ni", "Sb"]

[clusters]
cutoffs = $cutoffs
symprec = 1e-3
EOF
}
GOOD_CELL='[[3.063, 0.0, 0.0], [-1.5315, 2.652636, 0.0], [0.0, 0.0, 30.0]]'

# ---- model definitions ----

cat >syntax.toml <<'EOF'
[model]
name = "broken"

[structure
cell = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
EOF
expect_fail 2 "TOML syntax error names the file and line 4" \
  "syntax.toml:4:" "TOML syntax error" -- "$TMORDER" info syntax.toml

write_model unknown_label.toml "$GOOD_CELL" '"Co"' '[6.0]'
expect_fail 2 "unknown species label in sites names the key and the label" \
  "unknown_label.toml:" "sublattices[0].sites" '"Co"' -- "$TMORDER" info unknown_label.toml

write_model negative_cutoff.toml "$GOOD_CELL" '"Ni"' '[-1.0]'
expect_fail 2 "negative cutoff names the key and the allowed range" \
  "negative_cutoff.toml:15:" "clusters.cutoffs[0]" "0 < cutoff <= 30" -- "$TMORDER" info negative_cutoff.toml

write_model absurd_cutoff.toml "$GOOD_CELL" '"Ni"' '[6.0, 31]'
expect_fail 2 "absurd cutoff (31 A) names the key and the allowed range" \
  "absurd_cutoff.toml:15:" "clusters.cutoffs[1]" "0 < cutoff <= 30" -- "$TMORDER" info absurd_cutoff.toml

write_model singular.toml '[[3.0, 0.0, 0.0], [6.0, 0.0, 0.0], [0.0, 0.0, 30.0]]' '"Ni"' '[6.0]'
expect_fail 2 "singular inline cell names the key" \
  "singular.toml:5:" "structure.cell" "linearly dependent" -- "$TMORDER" info singular.toml

expect_fail 2 "nonexistent model path is named" \
  "$SCRATCH/no_such_model.toml" -- "$TMORDER" info "$SCRATCH/no_such_model.toml"

expect_fail 2 "build-model from a bad definition names the file" \
  "negative_cutoff.toml:15:" -- "$TMORDER" build-model negative_cutoff.toml -o never.json
[ ! -e never.json ] || fail "failed build-model left never.json behind"

# A model file with another schema version.
"$TMORDER" build-model "$ROOT/clusters/triangular/model.toml" -o good.json >/dev/null 2>"$SCRATCH/stderr" ||
  fail "build-model of clusters/triangular/model.toml failed: $(cat "$SCRATCH/stderr")"
grep -q '"schema_version": *1' good.json || fail "good.json has no \"schema_version\": 1 to edit"
sed 's/"schema_version": *1/"schema_version": 99/' good.json >wrong_version.json
expect_fail 2 "JSON model with a wrong schema_version names the key and the versions" \
  "wrong_version.json" "schema_version" "99" -- "$TMORDER" info wrong_version.json

# ---- structures given to `tmorder correlations` ----

MODEL=$ROOT/clusters/triangular/model.toml

# POSCAR of the triangular parent, with the given cell and species line.
write_poscar() {
  local file=$1 a=$2 names=$3
  cat >"$file" <<EOF
triangular parent
1.0
  $a 0.0 0.0
  $(awk -v a="$a" 'BEGIN { printf "%.6f %.6f 0.0", -a / 2, a * sqrt(3) / 2 }')
  0.0 0.0 30.0
  $names
  1
Direct
  0.0 0.0 0.0
EOF
}

write_poscar ok.vasp 3.063 Ni
"$TMORDER" correlations "$MODEL" ok.vasp >/dev/null 2>"$SCRATCH/stderr" ||
  fail "the unbroken POSCAR ok.vasp is refused: $(cat "$SCRATCH/stderr")"

cat >bad.vasp <<'EOF'
triangular parent
1.0
  3.063 0.0 0.0
  -1.5315 2.652636 0.0
  0.0 0.0 30.0
  Ni
  one
Direct
  0.0 0.0 0.0
EOF
expect_fail 2 "malformed POSCAR names the file and line 7" \
  "bad.vasp:7:" "count of Ni" "expected a positive integer" -- "$TMORDER" correlations "$MODEL" bad.vasp

cat >bad.xyz <<'EOF'
1
Lattice="3.063 0.0 0.0 -1.5315 2.652636 0.0 0.0 0.0 30.0" Properties=species:S:1:pos:R:3
Ni 0.0 0.0
EOF
expect_fail 2 "malformed extxyz names the file and line 3" \
  "bad.xyz:3:" "columns" -- "$TMORDER" correlations "$MODEL" bad.xyz

write_poscar cu.vasp 3.063 Cu
expect_fail 2 "species not allowed on its site names the sublattice and the allowed species" \
  "cu.vasp" "atom 1 (Cu)" "TM" "Ni, Sb" -- "$TMORDER" correlations "$MODEL" cu.vasp

cat >cu.xyz <<'EOF'
1
Lattice="3.063 0.0 0.0 -1.5315 2.652636 0.0 0.0 0.0 30.0" Properties=species:S:1:pos:R:3
Cu 0.0 0.0 0.0
EOF
expect_fail 2 "species not allowed, in extxyz, names the file and the atom's line" \
  "cu.xyz:3:" "atom 1 (Cu)" "TM" "Ni, Sb" -- "$TMORDER" correlations "$MODEL" cu.xyz

write_poscar strained.vasp 3.2 Ni
expect_fail 2 "strained cell is refused as not an integer supercell" \
  "strained.vasp" "not an integer supercell" -- "$TMORDER" correlations "$MODEL" strained.vasp

expect_fail 2 "nonexistent structure file is named" \
  "missing.vasp" -- "$TMORDER" correlations "$MODEL" missing.vasp

expect_fail 2 "nonexistent model given to correlations is named" \
  "no_such_model.json" -- "$TMORDER" correlations no_such_model.json ok.vasp

[ -z "$(find . -name '*.tmp-*')" ] || fail "temporary files left behind: $(find . -name '*.tmp-*')"
echo "all bad-input checks passed"
