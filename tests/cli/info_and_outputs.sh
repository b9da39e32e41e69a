#!/usr/bin/env bash
# Command-line contract: what `tmorder info`, `build-model` and `correlations` print and
# write; outputs are never overwritten without --force, and a failed run leaves neither an
# output nor a temporary file behind.
#
# Usage: bash info_and_outputs.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=out
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"
TRIANGULAR=$ROOT/clusters/triangular/model.toml
FCC=$ROOT/clusters/fcc/model.toml

expect_stdout() {  # expect_stdout PATTERN: the last command's stdout contains PATTERN
  grep -qF -- "$1" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout" >&2; fail "stdout lacks '$1'"; }
}

is_hdf5() {  # is_hdf5 FILE: starts with the HDF5 signature \211HDF\r\n\032\n
  [ -f "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "894844460d0a1a0a" ]
}

no_temporaries() {  # no_temporaries WHAT: no *.tmp-* file anywhere under the scratch folder
  local left
  left=$(find "$SCRATCH" -name '*.tmp-*' -print)
  [ -z "$left" ] || fail "$1: temporary files left behind: $left"
}

# The orbit table of `tmorder info`: from the "orbits (" line to the "(radius:" legend.
orbit_table() {
  sed -n '/^orbits (/,/^  (radius:/p' "$1"
}

# ---- info ----

run_ok "info prints the space group and the orbit table" -- "$TMORDER" info "$TRIANGULAR"
expect_stdout "P6/mmm"
expect_stdout "orbits (5 orbits, 6 cluster functions"
expect_stdout "index order   radius/A  maxdist/A multiplicity functions  sublattices"
[ "$(orbit_table stdout | wc -l)" -eq 9 ] || { orbit_table stdout >&2; fail "orbit table is not 9 lines (header, column names, empty cluster, 5 orbits, legend)"; }
echo "  ok"

run_ok "info -o writes an HDF5 file" -- "$TMORDER" info "$TRIANGULAR" -o out.h5
is_hdf5 out.h5 || fail "out.h5 is missing or not an HDF5 file"
expect_stdout "wrote out.h5"
sum_before=$(sha256sum out.h5)
echo "  ok: $sum_before"

expect_fail 2 "info -o on an existing file refuses, names it, and leaves it unchanged" \
  "out.h5" "refusing to overwrite" -- "$TMORDER" info "$TRIANGULAR" -o out.h5
[ "$(sha256sum out.h5)" = "$sum_before" ] || fail "out.h5 changed although the run refused to overwrite it"
no_temporaries "refused info -o"

run_ok "info -o --force overwrites (with another model's report)" -- "$TMORDER" info "$FCC" -o out.h5 --force
is_hdf5 out.h5 || fail "out.h5 is not an HDF5 file after --force"
[ "$(sha256sum out.h5)" != "$sum_before" ] || fail "out.h5 was not rewritten by --force"
expect_stdout "wrote out.h5"
no_temporaries "info -o --force"
echo "  ok"

# ---- build-model, and info of the model file it writes ----

run_ok "info of the fcc definition" -- "$TMORDER" info "$FCC"
orbit_table stdout >table_toml.txt
[ -s table_toml.txt ] || fail "no orbit table in 'tmorder info $FCC'"

run_ok "build-model writes a model file" -- "$TMORDER" build-model "$FCC" -o m.json
[ -s m.json ] || fail "m.json was not written"
expect_stdout "wrote m.json"
no_temporaries "build-model"

run_ok "info of the model file" -- "$TMORDER" info m.json
orbit_table stdout >table_json.txt
if ! diff -u table_toml.txt table_json.txt; then
  fail "the orbit table of m.json differs from that of $FCC"
fi
echo "  ok: same orbit table ($(wc -l <table_json.txt) lines)"

cp m.json m.json.orig
expect_fail 2 "build-model onto an existing file refuses, names it, and leaves it unchanged" \
  "m.json" "refusing to overwrite" -- "$TMORDER" build-model "$TRIANGULAR" -o m.json
cmp -s m.json m.json.orig || fail "m.json changed although build-model refused to overwrite it"
no_temporaries "refused build-model"

run_ok "build-model --force overwrites" -- "$TMORDER" build-model "$TRIANGULAR" -o m.json --force
cmp -s m.json m.json.orig && fail "m.json still holds the fcc model after build-model --force"
run_ok "info of the overwritten model file" -- "$TMORDER" info m.json
expect_stdout "P6/mmm"
no_temporaries "build-model --force"
echo "  ok"

# ---- failed runs leave nothing behind ----

cat >bad_model.toml <<'EOF'
[model]
name = "bad"

[structure]
cell = [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 30.0]]
positions = [[0.0, 0.0, 0.0]]
species = ["A"]

[[sublattices]]
name = "S"
sites = "A"
species = ["A", "B"]

[clusters]
cutoffs = [-2.0]
EOF
expect_fail 2 "info -o with a bad model" "bad_model.toml:15:" -- "$TMORDER" info bad_model.toml -o failed.h5
[ ! -e failed.h5 ] || fail "failed info run left failed.h5 behind"
expect_fail 2 "build-model with a bad model" "bad_model.toml:15:" -- "$TMORDER" build-model bad_model.toml -o failed.json
[ ! -e failed.json ] || fail "failed build-model left failed.json behind"
no_temporaries "failed runs"
echo "  ok: no output and no temporary file"

# ---- correlations of the honeycomb (sqrt3 x sqrt3) order on the triangular lattice ----

# Parent a1 = (3.063, 0, 0), a2 = (-1.5315, 2.652636, 0); supercell A1 = 2 a1 + a2,
# A2 = -a1 + a2: three sites at (0, 0), (1/3, 2/3), (2/3, 1/3); Sb on one, Ni on two.
cat >honeycomb.vasp <<'EOF'
NiSb honeycomb sqrt3 x sqrt3 on the triangular lattice
1.0
  4.5945 2.652636 0.0
  -4.5945 2.652636 0.0
  0.0 0.0 30.0
  Sb Ni
  1 2
Direct
  0.0 0.0 0.0
  0.3333333333 0.6666666667 0.0
  0.6666666667 0.3333333333 0.0
EOF

# correlation ORBIT: the value of the (single) function of orbit ORBIT in the table.
correlation() {
  awk -v k="$1" '$2 == k { print $4; found = 1; exit } END { if (!found) exit 1 }' "$SCRATCH/stdout" ||
    fail "no row for orbit $1 in the correlations table"
}
expect_close() {  # expect_close WHAT VALUE EXPECTED
  awk -v v="$2" -v e="$3" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(d < 1e-6) }' ||
    fail "$1 is $2, expected $3"
  echo "  ok: $1 = $2"
}

run_ok "correlations of the honeycomb NiSb order" -- "$TMORDER" correlations "$TRIANGULAR" honeycomb.vasp -o c.h5
point=$(correlation 0)
nn=$(correlation 1)
nnn=$(correlation 2)
expect_close "point correlation (Ni -> -1, Sb -> +1)" "$point" -0.333333333
expect_close "nearest-neighbour pair" "$nn" -0.333333333
expect_close "second-neighbour pair" "$nnn" 1
expect_stdout "wrote c.h5"
is_hdf5 c.h5 || fail "c.h5 is missing or not an HDF5 file"

expect_fail 2 "correlations -o on an existing file refuses" \
  "c.h5" "refusing to overwrite" -- "$TMORDER" correlations "$TRIANGULAR" honeycomb.vasp -o c.h5

cp honeycomb.vasp broken.vasp
sed -i 's/^  1 2$/  1 x/' broken.vasp
expect_fail 2 "correlations -o with a malformed structure" "broken.vasp:7:" -- \
  "$TMORDER" correlations "$TRIANGULAR" broken.vasp -o c_failed.h5
[ ! -e c_failed.h5 ] || fail "failed correlations run left c_failed.h5 behind"
no_temporaries "failed correlations"

# ---- --version: the commit the binary was built from ----
# The commit is refreshed at build time (cmake/git_commit.cmake), not at configure time, so a
# build after a commit must report that commit (with -dirty while tracked files are edited).
run_ok "--version names the version and the source tree's commit" -- "$TMORDER" --version
if head=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null); then
  grep -Eq "^tmorder [0-9]+\.[0-9]+\.[0-9]+ \($head(-dirty)?\)$" "$SCRATCH/stdout" ||
    { cat "$SCRATCH/stdout" >&2; fail "--version does not name HEAD $head"; }
else
  expect_stdout "(unknown)"
fi

echo "all info/output checks passed"
