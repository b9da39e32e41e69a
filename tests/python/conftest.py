"""Shared fixtures for the tmorder_analysis tests.

Synthetic cluster-space files are written with h5py following the layout of
``tmorder info MODEL --output FILE.h5`` (see analysis/tmorder_analysis/cluster_space.py).
"""

import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ANALYSIS_DIR = REPO_ROOT / "analysis"

# ctest sets PYTHONPATH=analysis; make a bare `pytest tests/python` work as well.
if str(ANALYSIS_DIR) not in sys.path:
    sys.path.insert(0, str(ANALYSIS_DIR))

STR = h5py.string_dtype("utf-8")

# Triangular lattice, a = 3 Angstrom, one ternary site (Ag, Au, Cu) plus one fixed O site.
A = 3.0
TRIANGULAR = {
    # order, max_distance, radius, multiplicity, n_functions, sublattices
    "orbits": [
        (1, 0.0, 0.0, 1, 2, "A"),
        (2, A, A / 2, 3, 3, "A-A"),
        (2, A * np.sqrt(3.0), A * np.sqrt(3.0) / 2, 3, 3, "A-A"),
        (2, 2 * A, A, 3, 3, "A-A"),
        (3, A, A / np.sqrt(3.0), 2, 4, "A-A-A"),
        (3, A * np.sqrt(3.0), 1.9, 6, 6, "A-A-A"),
    ],
    "cutoffs": [6.5, 5.5],
}
N_FUNCTIONS_TOTAL = 1 + sum(o[4] for o in TRIANGULAR["orbits"])  # 22


def _dataset(group, name, data, units=None, dtype=None):
    ds = group.create_dataset(name, data=data, dtype=dtype)
    if units is not None:
        ds.attrs["units"] = units
    return ds


def write_cluster_space(path, correlations=True):
    """Write a synthetic triangular-lattice cluster-space file and return its path."""
    path = Path(path)
    orbits = TRIANGULAR["orbits"]
    with h5py.File(path, "w") as h5:
        h5.attrs["tmorder_version"] = "0.1.0"
        h5.attrs["git_commit"] = "0123456789abcdef0123456789abcdef01234567"
        h5.attrs["created"] = "2024-05-01T12:00:00Z"
        h5.attrs["command_line"] = "tmorder info clusters/triangular/model.toml --output cs.h5"
        h5.attrs["model_name"] = "triangular-test"
        h5.attrs["model_source"] = "clusters/triangular/model.toml"
        h5.attrs["model_sha256"] = "ab" * 32
        h5.attrs["kind"] = "cluster_space"

        st = h5.create_group("structure")
        cell = np.array([[A, 0.0, 0.0], [-A / 2, A * np.sqrt(3.0) / 2, 0.0], [0.0, 0.0, 20.0]])
        _dataset(st, "cell", cell, "angstrom", dtype="f8")
        _dataset(st, "positions", np.array([[0.0, 0.0, 0.0], [1 / 3, 2 / 3, 0.5]]), "1", dtype="f8")
        _dataset(st, "species", ["Ag", "O"], dtype=STR)
        _dataset(st, "sublattice", np.array([0, -1], dtype=np.int64), "1")

        sl = h5.create_group("sublattices")
        _dataset(sl, "names", ["A"], dtype=STR)
        _dataset(sl, "species", ["Ag,Au,Cu"], dtype=STR)

        sg = h5.create_group("space_group")
        sg.attrs["number"] = np.int64(191)
        sg.attrs["international"] = "P6/mmm"
        sg.attrs["n_operations"] = np.int64(24)

        _dataset(h5, "cutoffs", np.array(TRIANGULAR["cutoffs"], dtype="f8"), "angstrom")

        ob = h5.create_group("orbits")
        cols = list(zip(*orbits))
        _dataset(ob, "order", np.array(cols[0], dtype=np.int64), "1")
        _dataset(ob, "max_distance", np.array(cols[1], dtype="f8"), "angstrom")
        _dataset(ob, "radius", np.array(cols[2], dtype="f8"), "angstrom")
        _dataset(ob, "multiplicity", np.array(cols[3], dtype=np.int64), "clusters per parent cell")
        _dataset(ob, "n_functions", np.array(cols[4], dtype=np.int64), "1")
        _dataset(ob, "sublattices", list(cols[5]), dtype=STR)

        if correlations:
            rng = np.random.default_rng(7)
            values = np.vstack([
                np.ones(N_FUNCTIONS_TOTAL),
                np.concatenate([[1.0], rng.uniform(-0.3, 0.3, N_FUNCTIONS_TOTAL - 1)]),
            ])
            co = h5.create_group("correlations")
            _dataset(co, "names", ["pure_Ag", "random_SQS"], dtype=STR)
            _dataset(co, "values", values, "1", dtype="f8")
    return path


@pytest.fixture
def cluster_space_file(tmp_path):
    """A synthetic cluster-space file with /correlations."""
    return write_cluster_space(tmp_path / "triangular_cs.h5", correlations=True)


@pytest.fixture
def cluster_space_file_no_corr(tmp_path):
    """A synthetic cluster-space file without /correlations."""
    return write_cluster_space(tmp_path / "triangular_nocorr.h5", correlations=False)


@pytest.fixture
def expected_triangular():
    """Orbit table and totals the synthetic file was written with."""
    return {"orbits": TRIANGULAR["orbits"], "cutoffs": TRIANGULAR["cutoffs"],
            "n_functions_total": N_FUNCTIONS_TOTAL}


@pytest.fixture
def repo_root():
    """Repository root (tests/python/../..)."""
    return REPO_ROOT


# ------------------------------------------------------------------ run results
# Synthetic `tmorder run` results files (schema "tmorder-run"); the writer lives in
# run_fixtures.py next to this file.
from run_fixtures import write_run_file  # noqa: E402


@pytest.fixture
def run_file(tmp_path):
    """A synthetic run with honeycomb order, snapshots, exchange probe, adaptive ladder."""
    return write_run_file(tmp_path / "run.h5")


@pytest.fixture
def run_file_minimal(tmp_path):
    """A synthetic run with only the required datasets (energy, C, exchange statistics):
    no honeycomb, snapshots or exchange probe; linear ladder; one never-attempted pair."""
    return write_run_file(tmp_path / "run_minimal.h5", honeycomb=False, snapshots=False,
                          exchange_probe=False, adaptive=False, n_ranks=1,
                          temperatures=np.linspace(500.0, 1100.0, 9), never_attempted_pair=3)
