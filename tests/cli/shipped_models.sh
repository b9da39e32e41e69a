#!/usr/bin/env bash
# The shipped DFT-fitted models and the shipped run inputs:
#  - every clusters/*/model.json with a fit in its provenance was fitted to the training file
#    shipped next to it (sha256 in the provenance), and `tmorder energy` on that file
#    reproduces the training RMSE the fit recorded (the model file evaluates to the fit it
#    claims; no hand edits, no stale data);
#  - the demo input (inputs/nanisb-honeycomb.toml) runs as shipped on a 6 x 6 x 6 cell for a
#    200 sweeps, names its model in the HDF5 file, writes the Cu exchange probe, and
#    is honeycomb-ordered at the bottom of its temperature ladder and less so at the top;
#  - the Mn/Al input (inputs/namnal-queue.toml) runs the same way and its second-shell
#    Al-Al short-range order grows on cooling.
#
# Usage: bash shipped_models.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=shipped
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"
PY=/usr/bin/python3

checked=0
for model in "$ROOT"/clusters/*/model.json; do
  fitted=$($PY -c 'import json,sys; print(int("fit" in json.load(open(sys.argv[1])).get("provenance", {})))' "$model")
  [ "$fitted" = 1 ] || continue
  dir=$(dirname "$model")
  run_ok "tmorder energy on the training set of $dir" -- "$TMORDER" energy "$model" "$dir/dft/training.extxyz" -o "energies-$(basename "$dir").csv"
  $PY - "$model" "$dir/dft/training.extxyz" "energies-$(basename "$dir").csv" <<'PY' || fail "$model does not reproduce its fit"
import csv, hashlib, json, math, sys
fit = json.load(open(sys.argv[1]))["provenance"]["fit"]
sha = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert sha == fit["training_sha256"], f"training file changed since the fit: {sha} != {fit['training_sha256']}"
rows = list(csv.DictReader(open(sys.argv[3])))
assert len(rows) == fit["n_structures"], (len(rows), fit["n_structures"])
rmse = math.sqrt(sum(float(r["error_meV_per_site"]) ** 2 for r in rows) / len(rows))
assert abs(rmse - fit["train_rmse_mev_per_site"]) < 1e-6 * max(1.0, rmse), (rmse, fit["train_rmse_mev_per_site"])
print(f"{sys.argv[1]}: {len(rows)} structures, train RMSE {rmse:.3f} meV/site as recorded")
PY
  checked=$((checked + 1))
done
[ "$checked" -ge 1 ] || fail "no fitted model found under $ROOT/clusters"

# A shipped input shrunk for the test: shrink INPUT OUTPUT.toml "a, b, c" writes OUTPUT.toml
# with those repetitions, 4 temperatures over the same range, 100 + 100 sweeps (the test also
# runs under AddressSanitizer) and OUTPUT.h5 as output; everything else as shipped.
shrink() {
  $PY - "$1" "$2" "$3" "$ROOT" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
root = sys.argv[4]
for pattern, value in ((r"repetitions = \[[^\]]*\]", f"repetitions = [{sys.argv[3]}]"),
                       (r"count = \d+", "count = 4"),
                       (r"equilibration_sweeps = \d+", "equilibration_sweeps = 100"),
                       (r"production_sweeps = \d+", "production_sweeps = 100"),
                       (r'output = "[^"]*"', f'output = "{sys.argv[2][:-5]}.h5"'),
                       (r'file = "\.\./', f'file = "{root}/')):
    text, n = re.subn(pattern, value, text, count=1)
    assert n == 1, pattern
open(sys.argv[2], "w").write(text)
PY
}

# The demo input on 6 x 6 x 6 cells (216 TM sites keep its 17/27, 1/27, 1/3 composition).
shrink "$ROOT/inputs/nanisb-honeycomb.toml" small.toml "6, 6, 6"
run_ok "the demo input runs on 6 x 6 x 6 cells" -- "$TMORDER" run small.toml --quiet
$PY - small.h5 <<'PY' || fail "demo results"
import h5py, numpy as np
with h5py.File("small.h5") as f:
    assert f.attrs["model_name"] == "O3-NaNiSbCu-PBEU", f.attrs["model_name"]
    assert "exchange_probe" in f and f["exchange_probe/energy"].size > 0
    psi = f["averages/honeycomb/mean"][:]
    T = f["temperatures"][:]
    assert np.all(np.diff(T) > 0)
    assert psi[0] > 0.9, psi  # ordered at the bottom of the ladder (6000 K)
    assert psi[0] - psi[-1] > 0.2, psi  # and disordering towards the top (14000 K)
    print("honeycomb order parameter from", round(float(psi[0]), 3), "to", round(float(psi[-1]), 3))
PY
# The Mn/Al input on 10 x 10 x 2 cells (200 TM sites, 3:2): second-shell Al-Al short-range
# order (Warren-Cowley parameter; positive: fewer Al-Al pairs at 5.2 A than at random) grows on cooling.
shrink "$ROOT/inputs/namnal-queue.toml" queue.toml "10, 10, 2"
run_ok "the Mn/Al input runs on 10 x 10 x 2 cells" -- "$TMORDER" run queue.toml --quiet
$PY - queue.h5 <<'PY' || fail "Mn/Al input results"
import h5py, numpy as np
with h5py.File("queue.h5") as f:
    assert f.attrs["model_name"] == "O3-NaMnAl-PBEU", f.attrs["model_name"]
    a2 = f["averages/warren_cowley/TM/2/Al-Al/mean"][:]
    assert a2[0] - a2[-1] > 0.15, a2  # ordered towards the bottom of the ladder (100 K), not the top (1200 K)
    print("second-shell Al-Al Warren-Cowley parameter from", round(float(a2[0]), 3), "to", round(float(a2[-1]), 3))
PY
echo "PASS: shipped models ($checked fitted), the demo input and the Mn/Al input"
