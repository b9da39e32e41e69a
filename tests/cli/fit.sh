#!/usr/bin/env bash
# Command-line contract of `tmorder fit`: a fit of a tiny square-lattice training set writes a
# loadable model file with ECIs and fit provenance (and an HDF5 report); bad input exits with
# status 2, names the frame, field or option at fault, and writes nothing.
#
# Usage: bash fit.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=fit
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"

MODEL="$ROOT/clusters/square/model.toml"  # square lattice a = 3 A, {A, B}, point + NN pair: 3 ECIs

# frame FILE NATOMS "CELL" ENERGY then "SPECIES X Y Z" lines (Cartesian, Angstrom).
frame() {
  local file=$1 n=$2 cell=$3 energy=$4
  shift 4
  {
    echo "$n"
    if [ "$energy" = "-" ]; then
      echo "Lattice=\"$cell\" Properties=species:S:1:pos:R:3 pbc=\"T T T\""
    else
      echo "Lattice=\"$cell\" Properties=species:S:1:pos:R:3 energy=$energy pbc=\"T T T\""
    fi
    local line
    for line in "$@"; do echo "$line"; done
  } >>"$file"
}
C1="3 0 0 0 3 0 0 0 30"
C2="6 0 0 0 3 0 0 0 30"
CK="3 3 0 -3 3 0 0 0 30"
C3="9 0 0 0 3 0 0 0 30"
good_frames() {
  local f=$1
  frame "$f" 1 "$C1" -1.0 "A 0 0 0"
  frame "$f" 1 "$C1" -2.0 "B 0 0 0"
  frame "$f" 2 "$C2" -3.2 "A 0 0 0" "B 3 0 0"
  frame "$f" 2 "$CK" -3.4 "A 0 0 0" "B 3 0 0"
  frame "$f" 3 "$C3" -4.3 "A 0 0 0" "A 3 0 0" "B 6 0 0"
  frame "$f" 3 "$C3" -5.0 "A 0 0 0" "B 3 0 0" "B 6 0 0"
}
good_frames train.xyz

# ---- a good fit
run_ok "OLS fit writes the model and the report" -- \
  "$TMORDER" fit "$MODEL" train.xyz -o fitted.json --report fit.h5
grep -q "6 structures" stdout || fail "stdout lacks the structure count"
grep -q "train RMSE" stdout || fail "stdout lacks the train RMSE"
grep -q "CV RMSE" stdout || fail "stdout lacks the CV RMSE"
grep -q "kept:" stdout || fail "stdout lacks the hull comparison"
[ -f fitted.json ] || fail "fitted.json not written"
[ -f fit.h5 ] || fail "fit.h5 not written"
/usr/bin/python3 - fitted.json <<'PY' || fail "fitted.json lacks ECIs or fit provenance"
import json, math, sys
j = json.load(open(sys.argv[1]))
assert isinstance(j["ecis"], list) and len(j["ecis"]) == j["n_functions"] == 3, j["ecis"]
assert all(math.isfinite(v) for v in j["ecis"])
fit = j["provenance"]["fit"]
for key in ("training_file", "training_sha256", "method", "hyperparameters", "cv_kind",
            "train_rmse_ev_per_cell", "n_structures", "date", "tmorder_version"):
    assert key in fit, key
assert fit["method"] == "ols" and fit["n_structures"] == 6 and len(fit["training_sha256"]) == 64
PY
run_ok "tmorder info loads the fitted model" -- "$TMORDER" info fitted.json
run_ok "refit from the fitted JSON model, ridge with CV-chosen alpha, k-fold" -- \
  "$TMORDER" fit fitted.json train.xyz -o ridge.json --method ridge --cv kfold --k 3 --seed 7
grep -q "alpha" stdout || fail "ridge stdout lacks alpha"
run_ok "lasso with a given alpha and no CV" -- \
  "$TMORDER" fit "$MODEL" train.xyz -o lasso.json --method lasso --alpha 1e-4 --cv none
run_ok "ard with a reference energy and hull axis" -- \
  "$TMORDER" fit "$MODEL" train.xyz -o ard.json --method ard --reference B=-1.0 --hull-axis S:B
run_ok "--force overwrites" -- "$TMORDER" fit "$MODEL" train.xyz -o fitted.json -f

# ---- refusals: exit 2, message names the culprit, nothing written
refuse() {  # refuse DESCRIPTION PATTERN... -- ARGS (after `tmorder fit`)
  local desc=$1
  shift
  local pats=()
  while [ "$1" != "--" ]; do pats+=("$1"); shift; done
  shift
  rm -f out.json out.h5
  expect_fail 2 "$desc" "${pats[@]}" -- "$TMORDER" fit "$@"
  [ ! -e out.json ] || fail "$desc: out.json was written"
  [ ! -e out.h5 ] || fail "$desc: out.h5 was written"
}
refuse "existing output without --force" "fitted.json" "exists" -- "$MODEL" train.xyz -o fitted.json
refuse "unknown method" "--method 'magic'" -- "$MODEL" train.xyz -o out.json --method magic
refuse "negative alpha" "--alpha" ">= 0" -- "$MODEL" train.xyz -o out.json --method ridge --alpha=-1
refuse "unknown cv" "--cv 'bogus'" -- "$MODEL" train.xyz -o out.json --cv bogus
refuse "unknown reference species" "--reference" "'Fe'" -- "$MODEL" train.xyz -o out.json --reference Fe=-1

frame noenergy.xyz 1 "$C1" -1.0 "A 0 0 0"
frame noenergy.xyz 1 "$C1" - "B 0 0 0"
refuse "missing energy names the frame and field" "noenergy.xyz: frame 1" "'energy'" -- \
  "$MODEL" noenergy.xyz -o out.json --report out.h5
good_frames dup.xyz
frame dup.xyz 2 "$C2" -3.2 "B 0 0 0" "A 3 0 0"
refuse "duplicate structure names both frames" "duplicate" "frames 2 and 6" -- "$MODEL" dup.xyz -o out.json
good_frames unknown.xyz
frame unknown.xyz 1 "$C1" -1.5 "Fe 0 0 0"
refuse "unknown species names the frame" "frame 6" "'Fe'" -- "$MODEL" unknown.xyz -o out.json
# A relaxed-looking copy of frame 2 with its energy (cell strained by 2 % and 1 %, atoms
# rattled by up to 0.08 A, both shifted by (0.4, 0.3) A) maps onto the same structure: it is
# refused as a duplicate of frame 2, which it can only be once its strain and displacements
# are removed.
good_frames relaxed.xyz
frame relaxed.xyz 2 "6.12 0 0 0 3.03 0 0 0 30" -3.2 "A 0.45 0.32 0" "B 3.46 0.22 0"
refuse "strained, rattled copy maps onto its ideal structure" "duplicate" "frames 2 and 6" -- "$MODEL" relaxed.xyz -o out.json
good_frames offsite.xyz
frame offsite.xyz 2 "$C2" -1.5 "A 0 0 0" "B 4.5 1.5 0"   # B halfway between four sites
refuse "off-site atom names the frame" "frame 6" "does not map" -- "$MODEL" offsite.xyz -o out.json
frame few.xyz 1 "$C1" -1.0 "A 0 0 0"
frame few.xyz 1 "$C1" -2.0 "B 0 0 0"
refuse "OLS with fewer structures than ECIs" "use --method ridge/lasso/ard" -- "$MODEL" few.xyz -o out.json

echo "PASS: fit"
