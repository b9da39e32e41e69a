"""Tests of tmorder_analysis: loading, validating and plotting cluster-space files."""

import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

from tmorder_analysis import ClusterSpaceSummary, load_cluster_space, plot_cluster_space

SYSTEM_PYTHON = "/usr/bin/python3"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "analysis" / "plot_cluster_space.py"


def assert_png(path, min_bytes=10_000):
    path = Path(path)
    assert path.is_file(), f"{path} was not written"
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert len(data) > min_bytes, f"{path} is only {len(data)} bytes"


def run_script(args, cwd):
    """Run the CLI script with Debian's interpreter and no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MPLCONFIGDIR"] = str(cwd)
    return subprocess.run([SYSTEM_PYTHON, str(SCRIPT), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


# ----------------------------------------------------------------------------- loading
def test_load_arrays_and_metadata(cluster_space_file, expected_triangular):
    s = load_cluster_space(cluster_space_file)
    assert isinstance(s, ClusterSpaceSummary)
    assert s.path == Path(cluster_space_file)
    assert s.metadata["kind"] == "cluster_space"
    assert s.metadata["model_name"] == s.model_name == "triangular-test"
    assert s.metadata["model_sha256"] == "ab" * 32
    for key in ("tmorder_version", "git_commit", "created", "command_line", "model_source"):
        assert isinstance(s.metadata[key], str) and s.metadata[key]

    assert s.cell.shape == (3, 3) and s.cell.dtype == np.float64
    assert s.cell[0, 0] == pytest.approx(3.0)
    assert s.positions.shape == (2, 3) and s.n_sites == 2
    assert list(s.species) == ["Ag", "O"]
    assert list(s.sublattice) == [0, -1]
    assert list(s.sublattice_names) == ["A"]
    assert s.allowed_species() == {"A": ["Ag", "Au", "Cu"]}
    assert (s.space_group_number, s.space_group_symbol, s.n_operations) == (191, "P6/mmm", 24)
    np.testing.assert_allclose(s.cutoffs, expected_triangular["cutoffs"])
    assert s.cutoff(2) == pytest.approx(6.5) and s.cutoff(3) == pytest.approx(5.5)
    assert s.cutoff(4) is None

    orbits = expected_triangular["orbits"]
    assert s.n_orbits == len(orbits)
    np.testing.assert_array_equal(s.orbit_order, [o[0] for o in orbits])
    np.testing.assert_allclose(s.orbit_max_distance, [o[1] for o in orbits])
    np.testing.assert_allclose(s.orbit_radius, [o[2] for o in orbits])
    np.testing.assert_array_equal(s.orbit_multiplicity, [o[3] for o in orbits])
    np.testing.assert_array_equal(s.orbit_n_functions, [o[4] for o in orbits])
    assert list(s.orbit_sublattices) == [o[5] for o in orbits]
    assert s.orbit_order.dtype == np.int64 and s.orbit_multiplicity.dtype == np.int64

    assert s.units["/orbits/multiplicity"] == "clusters per parent cell"
    assert s.units["/structure/cell"] == "angstrom"
    assert s.n_functions_total == expected_triangular["n_functions_total"] == 22
    assert s.has_correlations
    assert list(s.correlation_names) == ["pure_Ag", "random_SQS"]
    assert s.correlation_values.shape == (2, 22)
    assert s.function_orders().shape == (22,)


def test_load_without_correlations(cluster_space_file_no_corr):
    s = load_cluster_space(str(cluster_space_file_no_corr))  # str paths work too
    assert not s.has_correlations
    assert s.correlation_names is None and s.correlation_values is None


def test_functions_by_order(cluster_space_file):
    s = load_cluster_space(cluster_space_file)
    assert s.functions_by_order() == {1: 2, 2: 9, 3: 10}
    assert s.orbits_by_order() == {1: 1, 2: 3, 3: 2}
    assert 1 + sum(s.functions_by_order().values()) == s.n_functions_total


@pytest.mark.parametrize("order", [1, 2, 3])
def test_cumulative_functions(cluster_space_file, order):
    s = load_cluster_space(cluster_space_file)
    distances, counts = s.cumulative_functions(order)
    assert distances.shape == counts.shape == (s.orbits_by_order()[order],)
    assert np.all(np.diff(distances) >= 0)
    assert np.all(np.diff(counts) > 0)
    assert counts[-1] == s.functions_by_order()[order]


def test_cumulative_functions_absent_order(cluster_space_file):
    distances, counts = load_cluster_space(cluster_space_file).cumulative_functions(4)
    assert distances.size == 0 and counts.size == 0


# ------------------------------------------------------------------------------ errors
def test_missing_file(tmp_path):
    missing = tmp_path / "nope.h5"
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        load_cluster_space(missing)


def test_not_hdf5(tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not hdf5\n")
    with pytest.raises(ValueError, match=r"bogus\.h5.*not an HDF5 file"):
        load_cluster_space(bogus)


@pytest.mark.parametrize("dataset", ["/orbits/radius", "/structure/cell", "/cutoffs",
                                     "/structure/sublattice", "/correlations/values"])
def test_missing_units(cluster_space_file, dataset):
    with h5py.File(cluster_space_file, "r+") as h5:
        del h5[dataset].attrs["units"]
    with pytest.raises(ValueError) as info:
        load_cluster_space(cluster_space_file)
    message = str(info.value)
    assert str(cluster_space_file) in message
    assert dataset in message and "units" in message


def test_wrong_units(cluster_space_file):
    with h5py.File(cluster_space_file, "r+") as h5:
        h5["/orbits/max_distance"].attrs["units"] = "bohr"
    with pytest.raises(ValueError, match=r"/orbits/max_distance.*'bohr'.*'angstrom'"):
        load_cluster_space(cluster_space_file)


def test_wrong_kind(cluster_space_file):
    with h5py.File(cluster_space_file, "r+") as h5:
        h5.attrs["kind"] = "trajectory"
    with pytest.raises(ValueError) as info:
        load_cluster_space(cluster_space_file)
    assert str(cluster_space_file) in str(info.value)
    assert "kind" in str(info.value) and "trajectory" in str(info.value)


def test_missing_kind(cluster_space_file):
    with h5py.File(cluster_space_file, "r+") as h5:
        del h5.attrs["kind"]
    with pytest.raises(ValueError, match=r"triangular_cs\.h5.*missing root attribute 'kind'"):
        load_cluster_space(cluster_space_file)


@pytest.mark.parametrize("dataset", ["/orbits/multiplicity", "/orbits/n_functions", "/orbits/order"])
def test_missing_orbits_dataset(cluster_space_file, dataset):
    with h5py.File(cluster_space_file, "r+") as h5:
        del h5[dataset]
    with pytest.raises(ValueError) as info:
        load_cluster_space(cluster_space_file)
    assert str(cluster_space_file) in str(info.value) and dataset in str(info.value)


def test_inconsistent_correlation_shape(tmp_path, cluster_space_file_no_corr):
    with h5py.File(cluster_space_file_no_corr, "r+") as h5:
        co = h5.create_group("correlations")
        co.create_dataset("names", data=["x"], dtype=h5py.string_dtype("utf-8"))
        co.create_dataset("values", data=np.zeros((1, 5))).attrs["units"] = "1"
    with pytest.raises(ValueError, match=r"/correlations/values.*\(1, 22\)"):
        load_cluster_space(cluster_space_file_no_corr)


# ------------------------------------------------------------------------------- plots
def test_plot_with_correlations(cluster_space_file, tmp_path):
    out = tmp_path / "overview.png"
    written = plot_cluster_space(load_cluster_space(cluster_space_file), out)
    assert Path(written) == out
    assert_png(out)


def test_plot_without_correlations(cluster_space_file_no_corr, tmp_path):
    out = plot_cluster_space(load_cluster_space(cluster_space_file_no_corr), tmp_path / "two.png")
    assert_png(out)


# --------------------------------------------------------------------------------- CLI
def test_cli_default_output_from_other_directory(cluster_space_file, tmp_path):
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    result = run_script([cluster_space_file], cwd=workdir)
    assert result.returncode == 0, result.stderr
    expected = Path(cluster_space_file).with_suffix(".png")
    assert result.stdout.strip() == str(expected)
    assert_png(expected)


def test_cli_explicit_output(cluster_space_file, tmp_path):
    out = tmp_path / "custom name.png"
    result = run_script([cluster_space_file, "-o", out], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert_png(out)


def test_cli_bad_file(cluster_space_file, tmp_path):
    with h5py.File(cluster_space_file, "r+") as h5:
        h5.attrs["kind"] = "not_a_cluster_space"
    result = run_script([cluster_space_file], cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr and str(cluster_space_file) in result.stderr
    assert not Path(cluster_space_file).with_suffix(".png").exists()


def test_cli_missing_file(tmp_path):
    result = run_script([tmp_path / "absent.h5"], cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "absent.h5" in result.stderr


# ------------------------------------------------------------------------- integration
def _find_binary():
    """TMORDER_BINARY if set (ctest sets it), else build/tmorder; fail (not skip) if absent."""
    env = os.environ.get("TMORDER_BINARY")
    if env:
        candidates = [Path(env)]
    else:
        candidates = list(dict.fromkeys([Path("/work/main/build/tmorder"),
                                         REPO_ROOT / "build" / "tmorder"]))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("tmorder binary not found; build it (cmake --build build) or set TMORDER_BINARY. "
                "Looked at: " + ", ".join(str(c) for c in candidates), pytrace=False)


def test_real_binary_output(tmp_path):
    binary = _find_binary()
    model = REPO_ROOT / "clusters" / "triangular" / "model.toml"
    if not model.is_file():
        pytest.fail(f"model definition {model} does not exist", pytrace=False)
    out = tmp_path / "cs.h5"
    result = subprocess.run([str(binary), "info", str(model), "--output", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        f"`{binary} info {model} --output {out}` exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    assert out.is_file(), f"{binary} info did not write {out}"

    s = load_cluster_space(out)
    assert s.metadata["kind"] == "cluster_space"
    assert s.metadata["model_source"]
    assert 2 in s.orders, f"no pair (order-2) orbits in {out}: orders {s.orders}"
    assert s.orbits_by_order()[2] > 0
    assert np.all(s.orbit_multiplicity > 0), s.orbit_multiplicity
    assert np.all(s.orbit_n_functions > 0), s.orbit_n_functions
    distances, counts = s.cumulative_functions(2)
    assert np.all(np.diff(counts) > 0) and counts[-1] == s.functions_by_order()[2]
    assert distances[-1] <= s.cutoff(2) + 1e-8
    assert_png(plot_cluster_space(s, tmp_path / "cs.png"))
