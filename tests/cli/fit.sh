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
# square_frames FILE E0 .. E5: the six training structures with the given total energies (eV).
square_frames() {
  local f=$1
  frame "$f" 1 "$C1" "$2" "A 0 0 0"
  frame "$f" 1 "$C1" "$3" "B 0 0 0"
  frame "$f" 2 "$C2" "$4" "A 0 0 0" "B 3 0 0"
  frame "$f" 2 "$CK" "$5" "A 0 0 0" "B 3 0 0"
  frame "$f" 3 "$C3" "$6" "A 0 0 0" "A 3 0 0" "B 6 0 0"
  frame "$f" 3 "$C3" "$7" "A 0 0 0" "B 3 0 0" "B 6 0 0"
}
good_frames() { square_frames "$1" -1.0 -2.0 -3.2 -3.4 -4.3 -5.0; }
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

# DFT provenance of the frames (as jobs/dft/tmorder_dft.py collect writes it) is summarised in
# the model: a value shared by every frame as is, differing values with their frame counts.
awk '/^Lattice=/ { n++; $0 = $0 " dft_xc=PBE dft_code=\"gpaw 22.8.0\" dft_wall_seconds=" n (n <= 2 ? " dft_geometry=relaxed" : " dft_geometry=unrelaxed") } { print }' \
  train.xyz > train-dft.xyz
run_ok "fit records the training frames' DFT provenance" -- "$TMORDER" fit "$MODEL" train-dft.xyz -o dft.json
/usr/bin/python3 - dft.json <<'PY' || fail "the model lacks the training frames' DFT provenance"
import json, sys
tp = json.load(open(sys.argv[1]))["provenance"]["fit"]["training_provenance"]
assert tp["dft_xc"] == "PBE" and tp["dft_code"] == "gpaw 22.8.0", tp
assert tp["dft_geometry"] == {"mixed": {"relaxed": 2, "unrelaxed": 4}, "frames_without": 0}, tp
assert "dft_wall_seconds" not in tp, "per-structure values are not provenance of the model"
PY

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

# ---- electrostatics: the same lattice with charges A+ B- and an Ewald term (coefficient 0.5)
sed '/^\[model\]/,$!d' "$MODEL" >charged.toml
cat >>charged.toml <<'TOML'

[electrostatics]
charges = { A = 1, B = -1 }
coefficient = 0.5
TOML
run_ok "fixed electrostatic coefficient: ECIs fitted to E - 0.5 E_Ewald" -- \
  "$TMORDER" fit charged.toml train.xyz -o es_fixed.json --electrostatics fixed --report es_fixed.h5
grep -qF "electrostatic coefficient (1/eps_r): 0.5 (fixed)" stdout || fail "stdout lacks the fixed coefficient line"
# Independent check from the report: OLS of y - 0.5 e on the correlations gives the written
# ECIs; energy_ce is the full prediction X J + 0.5 e. Then synthetic energies
# E = n_cells (X J_true + c e) for c = 0.37, 1.6 and -0.3 (printed as three lines of six).
/usr/bin/python3 - es_fixed.json es_fixed.h5 >synthetic_energies <<'PY' || fail "fixed-mode model or report is wrong"
import json, sys
import h5py, numpy as np
j = json.load(open(sys.argv[1]))
with h5py.File(sys.argv[2], "r") as h:
    X = h["/structures/correlations"][...]
    y = h["/structures/energy_dft"][...]
    e = h["/structures/energy_ewald"][...]
    ce = h["/structures/energy_ce"][...]
    cells = h["/structures/n_cells"][...]
    assert h["/structures/energy_ewald"].attrs["units"] == "eV/parent_cell"
    assert h.attrs["electrostatics_mode"] == "fixed", h.attrs["electrostatics_mode"]
    assert h.attrs["electrostatic_coefficient"] == 0.5
assert np.ptp(e) > 0.1, e  # the Ewald energies differ between the orderings
J = np.array(j["ecis"])
assert len(J) == j["n_functions"] == 3
ref = np.linalg.lstsq(X, y - 0.5 * e, rcond=None)[0]
assert np.allclose(J, ref, atol=1e-8), (J, ref)
assert np.allclose(ce, X @ J + 0.5 * e, atol=1e-10)
assert j["electrostatics"]["coefficient"] == 0.5
es = j["provenance"]["fit"]["electrostatics"]
assert es["mode"] == "fixed" and es["coefficient"] == 0.5 and es["charges"] == {"A": 1.0, "B": -1.0}, es
Jt = np.array([-1.3, 0.25, -0.08])
for c in (0.37, 1.6, -0.3):
    print(" ".join(repr(float(v)) for v in cells * (X @ Jt + c * e)))
PY
mapfile -t SYN <synthetic_energies
# shellcheck disable=SC2086
square_frames synth.xyz ${SYN[0]}
run_ok "fitted electrostatic coefficient (default mode) recovers the synthetic truth" -- \
  "$TMORDER" fit charged.toml synth.xyz -o es_fit.json --report es_fit.h5
grep -qF "electrostatic coefficient (1/eps_r): 0.37 (fitted)" stdout || fail "stdout lacks the fitted coefficient 0.37"
grep -q "warning: the fitted electrostatic" stdout && fail "a physical coefficient was warned about"
run_ok "the fitted model file loads" -- "$TMORDER" info es_fit.json
run_ok "ridge with a huge alpha leaves the coefficient unpenalised" -- \
  "$TMORDER" fit charged.toml synth.xyz -o es_ridge.json --method ridge --alpha 1e9 --cv none --electrostatics fit
/usr/bin/python3 - es_fit.json es_fit.h5 es_ridge.json <<'PY' || fail "fitted-mode model, report or ridge coefficient is wrong"
import json, sys
import h5py, numpy as np
j = json.load(open(sys.argv[1]))
assert len(j["ecis"]) == j["n_functions"] == 3  # the coefficient is not an ECI
assert np.allclose(j["ecis"], [-1.3, 0.25, -0.08], atol=1e-8), j["ecis"]
c = j["electrostatics"]["coefficient"]
assert abs(c - 0.37) < 1e-8, c
es = j["provenance"]["fit"]["electrostatics"]
assert es["mode"] == "fit" and es["coefficient"] == c and es["charges"] == {"A": 1.0, "B": -1.0}, es
with h5py.File(sys.argv[2], "r") as h:
    X = h["/structures/correlations"][...]
    y = h["/structures/energy_dft"][...]
    e = h["/structures/energy_ewald"][...]
    assert h.attrs["electrostatics_mode"] == "fit" and h.attrs["electrostatic_coefficient"] == c
    assert np.allclose(h["/structures/energy_ce"][...], X @ np.array(j["ecis"]) + c * e, atol=1e-10)
    assert np.allclose(h["/ecis/values"][...], j["ecis"])
# Ridge, alpha 1e9: cluster ECIs ~0, coefficient = least squares of y on (1, e) alone.
r = json.load(open(sys.argv[3]))
ec, yc = e - e.mean(), y - y.mean()
c_ls = ec @ yc / (ec @ ec)
cr = r["electrostatics"]["coefficient"]
assert abs(cr - c_ls) < 1e-6 * abs(c_ls) and abs(c_ls - 0.37) > 1e-3, (cr, c_ls)
assert max(abs(v) for v in r["ecis"][1:]) < 1e-6, r["ecis"]
PY
run_ok "LASSO (alpha by k-fold CV) fits the coefficient" -- \
  "$TMORDER" fit charged.toml synth.xyz -o es_lasso.json --method lasso --cv kfold --k 3
run_ok "ARD fits the coefficient" -- "$TMORDER" fit charged.toml synth.xyz -o es_ard.json --method ard
/usr/bin/python3 - es_lasso.json es_ard.json <<'PY' || fail "LASSO/ARD electrostatic coefficient is off"
import json, sys
for f in sys.argv[1:]:
    j = json.load(open(f))
    c = j["electrostatics"]["coefficient"]
    assert abs(c - 0.37) < 1e-3 and j["provenance"]["fit"]["electrostatics"]["mode"] == "fit", (f, c)
PY
rm -f synth.xyz
# shellcheck disable=SC2086
square_frames synth.xyz ${SYN[1]}
run_ok "a fitted coefficient > 1 is written with a warning" -- "$TMORDER" fit charged.toml synth.xyz -o es_big.json
grep -qF "electrostatic coefficient (1/eps_r): 1.6 (fitted)" stdout || fail "stdout lacks the coefficient 1.6"
grep -q "warning: the fitted electrostatic coefficient 1.6 is > 1" stdout || fail "no warning for a coefficient > 1"
[ -f es_big.json ] || fail "es_big.json not written"
rm -f synth.xyz
# shellcheck disable=SC2086
square_frames synth.xyz ${SYN[2]}
refuse "a fitted coefficient <= 0 cannot be written to a model file" "coefficient -0.3" "not > 0" \
  "--electrostatics fixed" -- charged.toml synth.xyz -o out.json --report out.h5
grep -q "warning: the fitted electrostatic coefficient -0.3 is <= 0" stdout || fail "no warning for a coefficient <= 0"
frame sameewald.xyz 1 "$C1" -1.0 "A 0 0 0"
frame sameewald.xyz 1 "$C1" -2.0 "B 0 0 0"
refuse "a coefficient that the structures cannot determine (equal Ewald energies)" "same for every structure" \
  "--electrostatics fixed" -- charged.toml sameewald.xyz -o out.json --method ridge --alpha 1e-3 --cv none
refuse "--electrostatics for a model without electrostatics" "--electrostatics" "no [electrostatics]" -- \
  "$MODEL" train.xyz -o out.json --electrostatics fit
refuse "unknown --electrostatics mode" "--electrostatics 'free'" "fit or fixed" -- \
  charged.toml train.xyz -o out.json --electrostatics free

echo "PASS: fit"
