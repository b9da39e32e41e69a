"""The issue-5 workflow end to end through the command line: enumerate structures, give
them energies from known ECIs (the stand-in for DFT), fit, and check the ground states.

tmorder enumerate -> (energies from a known cluster expansion, computed here from the
correlation vectors `tmorder correlations` reports, plus 1 meV/cell noise) -> tmorder fit
(LASSO, alpha by 5-fold CV) -> the fitted ECIs match the truth, the CV error is at the noise
level -> tmorder ground-state finds the same ground states (composition, cell, energy) with
the fitted model as with the true one: no spurious ground states.
"""

import json
import re
import subprocess
from pathlib import Path

import h5py
import numpy as np

from test_cluster_space import _find_binary

REPO = Path(__file__).resolve().parents[2]

MODEL_TOML = """
[model]
name = "triangular-workflow"
[structure]
cell = [[3.0, 0.0, 0.0], [-1.5, 2.598076211353316, 0.0], [0.0, 0.0, 20.0]]
positions = [[0.0, 0.0, 0.0]]
species = ["Ni"]
[[sublattices]]
name = "TM"
sites = "Ni"
species = ["Ni", "Sb"]
[clusters]
cutoffs = [6.1, 3.1]
"""


def run(args, cwd):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_enumerate_fit_ground_state_recovers_a_known_model(tmp_path):
    tmorder = _find_binary()
    (tmp_path / "model.toml").write_text(MODEL_TOML)
    run([tmorder, "enumerate", "model.toml", "--max-size", "8", "--in-plane", "-o", "all.extxyz"], tmp_path)
    run([tmorder, "correlations", "model.toml", "all.extxyz", "-o", "corr.h5"], tmp_path)
    with h5py.File(tmp_path / "corr.h5", "r") as f:
        X = f["correlations/values"][()]
    n_functions = X.shape[1]
    assert n_functions == 6  # empty, point, 3 pairs (3.0, 5.2, 6.0 A), NN triangle

    # The "true" model: repulsive nearest-neighbour pair dominant, small further terms.
    truth = np.array([-5.0, -0.3, 0.12, 0.02, -0.01, 0.0])
    rng = np.random.default_rng(7)
    frames = (tmp_path / "all.extxyz").read_text().splitlines(keepends=True)
    out, k, i, seen = [], 0, 0, []
    while i < len(frames):
        n_atoms = int(frames[i])
        comment = frames[i + 1]
        n_cells = int(re.search(r"\bsize=(\d+)", comment).group(1))
        # Structures this cluster space cannot tell apart would get the same "DFT" energy from
        # a cluster-expansion truth, i.e. be duplicates: keep the first of each.
        if not any(np.allclose(X[k], x, atol=1e-10) for x in seen):
            seen.append(X[k])
            energy = n_cells * (X[k] @ truth + rng.normal(0.0, 0.001))
            out.append(frames[i])
            out.append(comment.rstrip("\n") + f" energy={energy:.10f}\n")
            out.extend(frames[i + 2:i + 2 + n_atoms])
        i += 2 + n_atoms
        k += 1
    assert k == X.shape[0] and len(seen) > 40
    (tmp_path / "train.extxyz").write_text("".join(out))

    stdout = run([tmorder, "fit", "model.toml", "train.extxyz", "-o", "fitted.json", "--method", "lasso", "--cv", "kfold",
                  "--k", "5", "--seed", "1", "--report", "fit.h5"], tmp_path)
    fitted = json.loads((tmp_path / "fitted.json").read_text())
    ecis = np.array(fitted["ecis"])
    assert np.max(np.abs(ecis - truth)) < 0.005, (ecis, truth)
    with h5py.File(tmp_path / "fit.h5", "r") as f:
        cv = f.attrs["cv_rmse_mev_per_site"]
    assert cv < 3.0, cv  # noise of 1 meV per cell (= per site here)
    assert "cv RMSE" in stdout or "CV RMSE" in stdout

    # No spurious ground states: the fitted model's ground states (composition, cell size)
    # are those of the true model, and their energies agree within the fit error.
    true_model = dict(fitted)
    true_model["ecis"] = truth.tolist()
    (tmp_path / "truth.json").write_text(json.dumps(true_model))

    def ground_states(model):
        out = run([tmorder, "ground-state", model, "--max-size", "6", "--in-plane"], tmp_path)
        rows = {}
        for line in out.splitlines():
            m = re.match(r"^(TM:.*?)\s+(\d+)\s+(-?\d+\.\d+)\s", line)
            if m:
                rows[m.group(1).strip()] = (int(m.group(2)), float(m.group(3)))
        return rows

    fitted_gs, true_gs = ground_states("fitted.json"), ground_states("truth.json")
    assert len(true_gs) >= 10 and fitted_gs.keys() == true_gs.keys()
    for composition, (cells, energy) in true_gs.items():
        assert fitted_gs[composition][0] == cells, (composition, fitted_gs[composition], cells)
        assert abs(fitted_gs[composition][1] - energy) < 0.01, (composition, fitted_gs[composition], energy)
