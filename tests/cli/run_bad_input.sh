#!/usr/bin/env bash
# Command-line contract of `tmorder run` on bad input (one process, no mpirun needed): exit
# status 2, a message naming the file and key and what was expected, and nothing written.
#
# Usage: bash run_bad_input.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=run-bad
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"

MODEL="$ROOT/clusters/o3-nanisb-pointcharge/model.toml"

# A valid input, optionally edited by a sed expression: write_input FILE [SED-EXPRESSION]
write_input() {
  local file=$1 edit=${2:-}
  {
    echo '[model]'
    echo "file = \"$MODEL\""
    echo '[supercell]'
    echo 'repetitions = [3, 3, 3]'
    echo '[ensemble.composition.TM]'
    echo 'Ni = "2/3"'
    echo 'Sb = "1/3"'
    echo '[temperatures]'
    echo 'list = [2000.0, 4000.0]'
    echo '[sampling]'
    echo 'production_sweeps = 20'
    echo 'observables = ["energy", "honeycomb"]'
    echo '[observables.honeycomb]'
    echo 'sublattice = "TM"'
    echo 'species = "Sb"'
    echo '[run]'
    echo 'seed = 1'
    echo 'output = "out.h5"'
  } >"$file"
  if [ -n "$edit" ]; then sed -i "$edit" "$file"; fi
}

nothing_written() {
  [ ! -e out.h5 ] || fail "$1: a results file was written"
  [ ! -e out.h5.chk ] || fail "$1: a checkpoint was written"
  if ls ./*.tmp-* >/dev/null 2>&1; then fail "$1: a temporary file was left behind"; fi
}

write_input good.toml
run_ok "the valid input runs" -- "$TMORDER" run good.toml --quiet
[ -f out.h5 ] || fail "no results from the valid input"
rm out.h5

expect_fail 2 "missing input file" "absent.toml" -- "$TMORDER" run absent.toml
nothing_written "missing input"

printf '[model\nfile = 1\n' >broken.toml
expect_fail 2 "malformed TOML" "broken.toml:1" -- "$TMORDER" run broken.toml
nothing_written "malformed TOML"

write_input typo.toml 's/^production_sweeps = 20$/production_sweep = 20/'
expect_fail 2 "misspelt key" "typo.toml" "production_sweep" -- "$TMORDER" run typo.toml
nothing_written "misspelt key"

write_input nomodel.toml 's|^file = .*|file = "absent/model.toml"|'
expect_fail 2 "missing model file" "nomodel.toml" "model.file" "absent/model.toml" -- "$TMORDER" run nomodel.toml
nothing_written "missing model"

write_input cold.toml 's/^list = .*/list = [0.0, 4000.0]/'
expect_fail 2 "temperature 0 K" "cold.toml" "temperatures.list" -- "$TMORDER" run cold.toml
nothing_written "temperature 0"

write_input species.toml 's/^Sb = "1\/3"$/Ru = "1\/3"/'
expect_fail 2 "species the model does not know" "species.toml" "Ru" -- "$TMORDER" run species.toml
nothing_written "unknown species"

write_input odd.toml 's/^repetitions = .*/repetitions = [2, 2, 2]/'
expect_fail 2 "composition the supercell cannot hold" "odd.toml" "TM" -- "$TMORDER" run odd.toml
nothing_written "impossible composition"

write_input honey.toml 's/^species = "Sb"$/species = "Mn"/'
expect_fail 2 "honeycomb of a species the model does not know" "honey.toml" "observables.honeycomb" "Mn" -- "$TMORDER" run honey.toml
nothing_written "honeycomb species"

write_input sqrt3.toml 's/^repetitions = .*/repetitions = [4, 4, 4]/; s/^Ni = .*/Ni = "3\/4"/; s/^Sb = .*/Sb = "1\/4"/'
expect_fail 2 "honeycomb order on a supercell without sqrt3 x sqrt3 periodicity" "sqrt3.toml" "observables.honeycomb" -- "$TMORDER" run sqrt3.toml
nothing_written "honeycomb supercell"

write_input unfitted.toml "s|^file = .*|file = \"$ROOT/clusters/o3-nanisbcu/model.toml\"|"
expect_fail 2 "model with neither ECIs nor electrostatics" "unfitted.toml" "neither fitted ECIs nor an [electrostatics] term" -- "$TMORDER" run unfitted.toml
nothing_written "unfitted model"

write_input nodir.toml 's|^output = .*|output = "no/such/dir/out.h5"|'
expect_fail 2 "output folder that does not exist" "no/such/dir/out.h5" -- "$TMORDER" run nodir.toml

echo precious >out.h5
expect_fail 2 "existing results without --force" "out.h5" "refusing to overwrite" -- "$TMORDER" run good.toml
[ "$(cat out.h5)" = precious ] || fail "existing results file was changed"
[ ! -e out.h5.chk ] || fail "a refused run wrote a checkpoint"
run_ok "--force replaces it" -- "$TMORDER" run good.toml --force --quiet
[ "$(cat out.h5)" != precious ] || fail "--force did not replace the results"

echo "PASS: run_bad_input"
