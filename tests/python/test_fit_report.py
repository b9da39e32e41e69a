"""Tests of tmorder_analysis.fit_report and plots.plot_fit_report.

A synthetic report written with h5py (schema "tmorder-fit", version 1) checks the reader and
the plot; when TMORDER_BINARY is set (ctest sets it) a real report from `tmorder fit` on a
square-lattice training set written here is read and plotted as well.
"""

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT / "analysis") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "analysis"))

from tmorder_analysis import load_fit_report, plot_fit_report  # noqa: E402

STR = h5py.string_dtype("utf-8")
E = "eV/parent_cell"


def _ds(h5, name, data, units=None):
    d = h5.create_dataset(name, data=data)
    if units is not None:
        d.attrs["units"] = units
    return d


def write_synthetic(path: Path, drop_units: str = "", schema: str = "tmorder-fit"):
    x = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    e_dft = np.array([0.0, -0.05, -0.12, -0.04, 0.0])
    e_ce = e_dft + np.array([0.001, -0.002, 0.0, 0.003, -0.001])
    with h5py.File(path, "w") as h5:
        h5.attrs["schema"] = schema
        h5.attrs["schema_version"] = 1
        h5.attrs["method"] = "ols"
        h5.attrs["cv_kind"] = "loo-analytic"
        h5.attrs["train_rmse_mev_per_site"] = 1.8
        h5.attrs["cv_rmse_mev_per_site"] = 2.5
        h5.attrs["active_sites_per_cell"] = 1
        h5.attrs["model_name"] = "synthetic"
        h5.create_dataset("/structures/names", data=[f"s#{i}" for i in range(5)], dtype=STR)
        _ds(h5, "/structures/energy_dft", e_dft, E)
        _ds(h5, "/structures/energy_ce", e_ce, E)
        _ds(h5, "/structures/n_cells", np.array([1, 4, 2, 4, 1], dtype=np.int64), "parent_cells")
        _ds(h5, "/structures/composition", np.stack([1 - x, x], axis=1), "1")
        h5.create_dataset("/structures/composition_labels", data=["M:A", "M:B"], dtype=STR)
        h5.create_group("/hull").attrs["axis"] = "M:B"
        _ds(h5, "/hull/x", x, "1")
        _ds(h5, "/hull/formation_energy_dft", e_dft, E)
        _ds(h5, "/hull/formation_energy_ce", e_ce, E)
        _ds(h5, "/hull/distance_dft", np.array([0, 0.01, 0, 0.02, 0.0]), E)
        _ds(h5, "/hull/distance_ce", np.zeros(5), E)
        for name, v in (("vertices_dft", [0, 2, 4]), ("vertices_ce", [0, 1, 2, 4]), ("kept", [0, 2, 4]),
                        ("lost", []), ("added", [1])):
            _ds(h5, f"/hull/{name}", np.array(v, dtype=np.int64), "1")
        for name, v, u in (("values", [-1.0, 0.02, 0.01, -0.003], None), ("radius", [0, 0, 1.5, 2.6], "angstrom")):
            _ds(h5, f"/ecis/{name}", np.array(v), u if u else E)
        _ds(h5, "/ecis/order", np.array([0, 1, 2, 2], dtype=np.int64), "1")
        _ds(h5, "/ecis/orbit", np.array([-1, 0, 1, 2], dtype=np.int64), "1")
        _ds(h5, "/ecis/multiplicity", np.array([1, 1, 2, 2], dtype=np.int64), "clusters per parent cell")
        h5.create_group("/cv").attrs["kind"] = "loo-analytic"
        if drop_units:
            del h5[drop_units].attrs["units"]


def test_synthetic_report_loads_and_plots(tmp_path):
    f = tmp_path / "fit.h5"
    write_synthetic(f)
    rep = load_fit_report(f)
    assert rep.n_structures == 5 and rep.method == "ols" and rep.hull_axis == "M:B"
    assert list(rep.added) == [1] and rep.lost.size == 0
    assert rep.cv_grid is None
    out = plot_fit_report(rep, tmp_path / "fit.png")
    assert out.stat().st_size > 10000


def test_missing_units_and_wrong_schema_are_refused(tmp_path):
    f = tmp_path / "nounits.h5"
    write_synthetic(f, drop_units="/structures/energy_ce")
    with pytest.raises(ValueError, match="units"):
        load_fit_report(f)
    g = tmp_path / "other.h5"
    write_synthetic(g, schema="tmorder-run")
    with pytest.raises(ValueError, match="schema"):
        load_fit_report(g)


# Square lattice a = 3 A, {A, B}: six ideal structures with total energies (eV).
FRAMES = [
    ("3 0 0 0 3 0 0 0 30", -1.0, ["A 0 0 0"]),
    ("3 0 0 0 3 0 0 0 30", -2.0, ["B 0 0 0"]),
    ("6 0 0 0 3 0 0 0 30", -3.2, ["A 0 0 0", "B 3 0 0"]),
    ("3 3 0 -3 3 0 0 0 30", -3.4, ["A 0 0 0", "B 3 0 0"]),
    ("9 0 0 0 3 0 0 0 30", -4.3, ["A 0 0 0", "A 3 0 0", "B 6 0 0"]),
    ("9 0 0 0 3 0 0 0 30", -5.0, ["A 0 0 0", "B 3 0 0", "B 6 0 0"]),
    ("12 0 0 0 3 0 0 0 30", -6.1, ["A 0 0 0", "B 3 0 0", "B 6 0 0", "B 9 0 0"]),
]


@pytest.mark.skipif(not os.environ.get("TMORDER_BINARY"), reason="TMORDER_BINARY not set")
def test_real_report_from_tmorder_fit(tmp_path):
    train = tmp_path / "train.xyz"
    with open(train, "w") as fh:
        for cell, energy, atoms in FRAMES:
            fh.write(f"{len(atoms)}\nLattice=\"{cell}\" Properties=species:S:1:pos:R:3 energy={energy} pbc=\"T T T\"\n")
            fh.write("\n".join(atoms) + "\n")
    report = tmp_path / "fit.h5"
    proc = subprocess.run(
        [os.environ["TMORDER_BINARY"], "fit", str(REPO_ROOT / "clusters/square/model.toml"), str(train),
         "-o", str(tmp_path / "fitted.json"), "--method", "ridge", "--report", str(report)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rep = load_fit_report(report)
    assert rep.n_structures == len(FRAMES)
    assert rep.method == "ridge" and rep.cv_grid is not None and rep.cv_curve.size == rep.cv_grid.size
    assert rep.eci_values.size == 3
    # The hull of the DFT energies: the end members are always vertices.
    assert {int(np.argmin(rep.hull_x)), int(np.argmax(rep.hull_x))} <= set(int(v) for v in rep.vertices_dft)
    assert np.all(np.isfinite(rep.energy_ce)) and np.all(rep.distance_dft >= 0)
    out = plot_fit_report(report, tmp_path / "fit.png")
    assert out.stat().st_size > 10000
    script = subprocess.run([sys.executable, str(REPO_ROOT / "analysis/plot_fit.py"), str(report), "-o",
                             str(tmp_path / "cli.png")], capture_output=True, text=True, timeout=120)
    assert script.returncode == 0, script.stderr
    assert (tmp_path / "cli.png").is_file()
