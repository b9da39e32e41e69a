"""Tests of tmorder_analysis.run_results and plot_run: `tmorder run` results files."""

import os
import subprocess
import warnings
from pathlib import Path

import h5py
import numpy as np
import pytest

import run_fixtures as rf
from run_fixtures import write_run_file
from tmorder_analysis import (
    Average,
    RunResults,
    format_run_table,
    load_run,
    plot_run,
    run_figure_text,
    snapshot_structure,
    to_ase_atoms,
    transition_temperature,
)

SYSTEM_PYTHON = "/usr/bin/python3"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "analysis" / "plot_run.py"
OBSERVABLES = ["concentration/TM/Ni", "concentration/TM/Sb", "energy", "honeycomb",
               "warren_cowley/1/Ni-Sb"]


def assert_png(path, min_bytes=10_000):
    path = Path(path)
    assert path.is_file(), f"{path} was not written"
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert len(data) > min_bytes, f"{path} is only {len(data)} bytes"


def run_script(args, cwd):
    """Run plot_run.py with Debian's interpreter and no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MPLCONFIGDIR"] = str(cwd)
    return subprocess.run([SYSTEM_PYTHON, str(SCRIPT), *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def replace_dataset(path, name, data):
    """Replace dataset `name` by `data`, keeping its attributes and dtype."""
    with h5py.File(path, "r+") as h5:
        old = h5[name]
        attrs, dtype = dict(old.attrs), old.dtype
        del h5[name]
        new = h5.create_dataset(name, data=data, dtype=dtype)
        for key, value in attrs.items():
            new.attrs[key] = value


def load_error(path):
    """The ValueError message load_run raises for `path`."""
    with pytest.raises(ValueError) as info:
        load_run(path)
    return str(info.value)


# ----------------------------------------------------------------------------- loading
def test_load_metadata(run_file):
    r = load_run(run_file)
    assert isinstance(r, RunResults)
    assert r.path == Path(run_file)
    m = r.metadata
    assert m["schema"] == "tmorder-run" and m["schema_version"] == 1
    assert r.model_name == m["model_name"] == rf.PROVENANCE["model_name"]
    assert r.energy_model == rf.PROVENANCE["energy_model"]
    assert r.tmorder_version == "0.4.0"
    for key in ("git_commit", "command_line", "started_utc", "finished_utc", "model_file",
                "model_sha256", "input_file", "input_sha256", "formula_unit"):
        assert isinstance(m[key], str) and m[key], key
    for key, value in (("n_ranks", 4), ("n_replicas", 12), ("seed", 12345), ("n_sites", rf.N_ACTIVE),
                       ("n_formula_units", 9), ("restarts", 0)):
        assert type(m[key]) is int and m[key] == value, key
    assert type(m["wall_seconds"]) is float and m["wall_seconds"] == pytest.approx(3600.0)
    assert m["ensemble"] == "canonical"
    assert r.input_text.startswith("[model]") and "tmorder-model" in r.model_text


def test_load_arrays_and_units(run_file):
    r = load_run(run_file)
    n_t, n_s = 12, 200
    assert r.n_temperatures == n_t and r.n_samples == n_s
    np.testing.assert_allclose(r.temperatures, rf.geometric_ladder(300.0, 1500.0, n_t))
    assert r.ladder_history.shape == (3, n_t)
    np.testing.assert_allclose(r.ladder_history[-1], r.temperatures)
    np.testing.assert_array_equal(r.sweeps, 10 * np.arange(1, n_s + 1))
    assert r.sweeps.dtype == np.int64 and r.replica.dtype == np.int64
    assert r.replica.shape == (n_s, n_t)
    assert np.all(np.sort(r.replica, axis=1) == np.arange(n_t))

    assert r.units["/temperatures"] == "K" and r.units["/ladder/history"] == "K"
    assert r.units["/timeseries/sweep"] == "sweeps"
    assert r.units["/structure/positions"] == "angstrom"
    assert r.units["/timing/sweep_seconds"] == "s"
    assert r.units["/exchange_probe/energy"] == "eV"

    assert r.exchange.pair_acceptance.shape == (n_t - 1,)
    assert r.exchange.pair_attempts.dtype == np.int64 and np.all(r.exchange.pair_attempts == 500)
    assert r.exchange.round_trips.shape == r.exchange.up_fraction.shape == (n_t,)
    np.testing.assert_allclose(r.pair_temperatures, 0.5 * (r.temperatures[:-1] + r.temperatures[1:]))
    assert r.timing.sweep_seconds.shape == r.timing.exchange_seconds.shape == (4,)

    st = r.structure
    assert st.lattice.shape == (3, 3) and st.lattice[2, 2] == pytest.approx(rf.C)
    assert st.n_sites == rf.N_SITES and st.positions.shape == (rf.N_SITES, 3)
    assert list(st.species_names) == rf.SPECIES_NAMES
    assert list(st.sublattice_names) == rf.SUBLATTICE_NAMES
    assert np.count_nonzero(st.sublattice >= 0) == rf.N_ACTIVE
    assert r.has_snapshots and r.snapshots.n_snapshots == 3
    assert r.snapshots.species.shape == (3, n_t, rf.N_SITES)


def test_timeseries_discovered_with_units(run_file):
    r = load_run(run_file)
    assert r.observable_names == OBSERVABLES
    assert r.timeseries_units == {"concentration/TM/Ni": "1", "concentration/TM/Sb": "1",
                                  "energy": "eV/site", "honeycomb": "1", "warren_cowley/1/Ni-Sb": "1"}
    for name in OBSERVABLES:
        assert r.timeseries[name].shape == (200, 12), name
        avg = r.averages[name]
        assert isinstance(avg, Average)
        assert avg.units == r.timeseries_units[name]
        assert avg.mean.shape == avg.stderr.shape == avg.tau.shape == (12,)
        np.testing.assert_allclose(avg.mean, r.timeseries[name].mean(axis=0))
        assert r.units[f"/averages/{name}/tau"] == "samples"
    assert "sweep" not in r.timeseries and "replica" not in r.timeseries


def test_derived_averages(run_file):
    r = load_run(run_file)
    assert set(r.averages) == set(OBSERVABLES) | {"heat_capacity", "energy_per_formula_unit"}
    c = r.averages["heat_capacity"]
    assert c.units == "k_B/site" and c.tau is None
    np.testing.assert_allclose(c.mean, rf.gaussian_heat_capacity(r.temperatures))
    mean, stderr = r.heat_capacity
    np.testing.assert_array_equal(mean, c.mean)
    np.testing.assert_array_equal(stderr, c.stderr)
    e_fu = r.averages["energy_per_formula_unit"]
    assert e_fu.units == "eV/f.u." and e_fu.tau is None
    mean, stderr, tau, units = e_fu  # a NamedTuple
    assert units == "eV/f.u."


def test_exchange_probe(run_file):
    probe = load_run(run_file).exchange_probe
    assert (probe.species, probe.from_sublattice, probe.to_sublattice) == ("Ni", "TM", "Na")
    assert probe.temperature_index.shape == probe.energy.shape == (60,)
    assert probe.energies_at(3).shape == (5,)


def test_load_minimal_run(run_file_minimal):
    r = load_run(str(run_file_minimal))  # str paths work too
    assert r.observable_names == ["energy"]
    assert r.snapshots is None and not r.has_snapshots
    assert r.exchange_probe is None
    assert "honeycomb" not in r.averages
    assert r.ladder_history.shape == (1, 9)
    assert np.isnan(r.exchange.pair_acceptance[3]) and r.exchange.pair_attempts[3] == 0
    assert r.timing.sweep_seconds.shape == (1,)


def test_int32_attributes_and_fixed_length_strings(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["schema_version"] = np.int32(1)
        h5.attrs["n_ranks"] = np.int32(4)
        h5.attrs["schema"] = np.bytes_(b"tmorder-run")
        del h5["/structure/species_names"]
        h5["/structure"].create_dataset("species_names", data=np.array(rf.SPECIES_NAMES, dtype="S2"))
    r = load_run(run_file)
    assert r.metadata["schema_version"] == 1 and r.metadata["n_ranks"] == 4
    assert list(r.structure.species_names) == rf.SPECIES_NAMES


# ------------------------------------------------------------------- transition temperature
def test_transition_temperature_recovers_peak(run_file):
    r = load_run(run_file)
    t_c = transition_temperature(r)
    spacing = np.diff(r.temperatures).max()
    assert abs(t_c - rf.T_C) < 0.1 * spacing, (t_c, rf.T_C)
    # it is a refinement: closer to the true peak than the best ladder temperature
    k = int(np.argmax(r.averages["heat_capacity"].mean))
    assert abs(t_c - rf.T_C) < abs(r.temperatures[k] - rf.T_C)
    assert transition_temperature(run_file) == pytest.approx(t_c)  # from a path


@pytest.mark.parametrize("t_peak", [612.5, 800.0, 1003.7])
def test_transition_temperature_exact_for_parabola(tmp_path, t_peak):
    temperatures = np.array([300.0, 420.0, 500.0, 640.0, 700.0, 820.0, 1000.0, 1050.0, 1300.0])
    c = 40.0 - 1.0e-4 * (temperatures - t_peak) ** 2
    path = write_run_file(tmp_path / "parabola.h5", temperatures=temperatures, heat_capacity=c)
    assert transition_temperature(load_run(path)) == pytest.approx(t_peak, rel=1e-12)


def test_transition_temperature_peak_at_end_warns(tmp_path):
    temperatures = np.linspace(300.0, 600.0, 6)
    path = write_run_file(tmp_path / "low.h5", temperatures=temperatures, t_c=1000.0)
    with pytest.warns(RuntimeWarning, match="highest temperature"):
        assert transition_temperature(load_run(path)) == pytest.approx(600.0)


def test_transition_temperature_two_equal_maxima(tmp_path):
    # parabola through (300, 1), (400, 2), (500, 2): vertex midway between the equal maxima
    path = write_run_file(tmp_path / "flat.h5", temperatures=[300.0, 400.0, 500.0, 600.0],
                          heat_capacity=[1.0, 2.0, 2.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert transition_temperature(load_run(path)) == pytest.approx(450.0)


def test_transition_temperature_nan_neighbour(tmp_path):
    path = write_run_file(tmp_path / "nan.h5", temperatures=[300.0, 400.0, 500.0, 600.0],
                          heat_capacity=[1.0, 3.0, np.nan, 1.0])
    assert transition_temperature(load_run(path)) == pytest.approx(400.0)


def test_transition_temperature_of_other_average(run_file):
    r = load_run(run_file)
    # the energy rises monotonically: its maximum is at the highest temperature
    with pytest.warns(RuntimeWarning, match="highest temperature"):
        assert transition_temperature(r, "energy_per_formula_unit") == pytest.approx(r.temperatures[-1])
    with pytest.raises(KeyError, match="no average 'susceptibility'"):
        transition_temperature(r, "susceptibility")


# ---------------------------------------------------------------------------- validation
def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.h5"):
        load_run(tmp_path / "nope.h5")


def test_not_hdf5(tmp_path):
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("not hdf5\n")
    with pytest.raises(ValueError, match=r"bogus\.h5.*not an HDF5 file"):
        load_run(bogus)


def test_cluster_space_file_is_not_a_run(cluster_space_file):
    message = load_error(cluster_space_file)
    assert str(cluster_space_file) in message and "missing root attribute 'schema'" in message


def test_wrong_schema(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["schema"] = "tmorder-model"
    message = load_error(run_file)
    assert str(run_file) in message
    assert "'schema'" in message and "'tmorder-model'" in message and "'tmorder-run'" in message


def test_wrong_schema_version(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["schema_version"] = np.int64(2)
    message = load_error(run_file)
    assert str(run_file) in message and "'schema_version' is 2" in message and "version 1" in message


def test_schema_version_not_integer(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["schema_version"] = "1"
    assert "'schema_version' must be an integer" in load_error(run_file)


@pytest.mark.parametrize("attribute", ["energy_model", "model_sha256", "n_replicas", "restarts"])
def test_missing_root_attribute(run_file, attribute):
    with h5py.File(run_file, "r+") as h5:
        del h5.attrs[attribute]
    message = load_error(run_file)
    assert str(run_file) in message and f"'{attribute}'" in message


def test_bad_ensemble(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["ensemble"] = "grand"
    assert "'ensemble' is 'grand'" in load_error(run_file)


@pytest.mark.parametrize("dataset", [
    "/temperatures", "/ladder/history", "/timeseries/sweep", "/timeseries/replica",
    "/timeseries/energy", "/averages/heat_capacity/mean", "/averages/heat_capacity/stderr",
    "/averages/energy_per_formula_unit/mean", "/averages/honeycomb/tau", "/averages/energy/stderr",
    "/averages/concentration/TM/Sb/mean", "/exchange/pair_acceptance", "/exchange/round_trips",
    "/timing/exchange_seconds", "/structure/lattice", "/structure/species_names",
    "/structure/sublattice_names", "/input/text", "/model/text", "/snapshots/species",
    "/exchange_probe/energy",
])
def test_missing_dataset(run_file, dataset):
    with h5py.File(run_file, "r+") as h5:
        del h5[dataset]
    message = load_error(run_file)
    assert str(run_file) in message and f"'{dataset}'" in message


@pytest.mark.parametrize("dataset, shape", [
    ("/timeseries/honeycomb", (200, 11)),
    ("/timeseries/concentration/TM/Sb", (199, 12)),
    ("/timeseries/replica", (200, 11)),
    ("/timeseries/sweep", (199,)),
    ("/averages/energy/stderr", (13,)),
    ("/averages/honeycomb/tau", (11,)),
    ("/averages/heat_capacity/mean", (11,)),
    ("/exchange/pair_acceptance", (12,)),
    ("/exchange/pair_attempts", (10,)),
    ("/exchange/round_trips", (11,)),
    ("/exchange/up_fraction", (13,)),
    ("/timing/sweep_seconds", (5,)),
    ("/ladder/history", (2, 13)),
    ("/structure/lattice", (2, 3)),
    ("/structure/positions", (rf.N_SITES, 2)),
    ("/structure/sublattice", (rf.N_SITES - 1,)),
    ("/snapshots/species", (3, 12, rf.N_SITES - 1)),
    ("/snapshots/sweep", (2,)),
    ("/exchange_probe/energy", (59,)),
    ("/input/text", (2,)),
])
def test_inconsistent_shape(run_file, dataset, shape):
    with h5py.File(run_file, "r") as h5:
        kind = h5[dataset].dtype.kind
    if kind in "OSU":
        data = np.array(["x"] * shape[0], dtype=object)
    else:
        data = np.zeros(shape)
    if dataset == "/timeseries/replica":
        data = np.tile(np.arange(shape[1]), (shape[0], 1))
    replace_dataset(run_file, dataset, data)
    message = load_error(run_file)
    # a length-defining dataset (e.g. /timeseries/sweep: n_s) is named as the reference
    # in the message about the first dataset that disagrees with it
    assert str(run_file) in message and f"'{dataset}'" in message, message
    assert "shape" in message


def test_timeseries_wrong_rank(run_file):
    replace_dataset(run_file, "/timeseries/sweep", np.zeros((200, 1), dtype=np.int64))
    assert "'/timeseries/sweep' must have 1 dimension(s)" in load_error(run_file)


@pytest.mark.parametrize("dataset", ["/temperatures", "/timeseries/honeycomb", "/averages/energy/mean",
                                     "/exchange/pair_attempts", "/snapshots/species"])
def test_missing_units(run_file, dataset):
    with h5py.File(run_file, "r+") as h5:
        del h5[dataset].attrs["units"]
    message = load_error(run_file)
    assert str(run_file) in message and dataset in message and "units" in message


@pytest.mark.parametrize("dataset, units, expected", [
    ("/temperatures", "C", "K"),
    ("/timeseries/energy", "eV", "eV/site"),
    ("/averages/energy/stderr", "meV/site", "eV/site"),
    ("/averages/heat_capacity/mean", "eV/K", "k_B/site"),
    ("/averages/honeycomb/tau", "sweeps", "samples"),
    ("/structure/positions", "1", "angstrom"),
])
def test_wrong_units(run_file, dataset, units, expected):
    with h5py.File(run_file, "r+") as h5:
        h5[dataset].attrs["units"] = units
    message = load_error(run_file)
    assert f"'{dataset}' has units '{units}', expected '{expected}'" in message


def test_n_replicas_mismatch(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["n_replicas"] = np.int64(8)
    message = load_error(run_file)
    assert "'n_replicas' is 8" in message and "'/temperatures'" in message


def test_n_ranks_mismatch(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["n_ranks"] = np.int64(2)
    assert "'/timing/sweep_seconds'" in load_error(run_file)


def test_temperatures_not_ascending(run_file):
    with h5py.File(run_file, "r") as h5:
        t = h5["/temperatures"][()]
    replace_dataset(run_file, "/temperatures", t[::-1])
    assert "'/temperatures' must be strictly ascending" in load_error(run_file)


def test_replica_not_a_permutation(run_file):
    with h5py.File(run_file, "r+") as h5:
        replica = h5["/timeseries/replica"]
        row = replica[5]
        row[1] = row[0]
        replica[5] = row
    message = load_error(run_file)
    assert "'/timeseries/replica' row 5 is not a permutation" in message


def test_snapshot_species_out_of_range(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5["/snapshots/species"][0, 0, 0] = len(rf.SPECIES_NAMES)
    message = load_error(run_file)
    assert "'/snapshots/species'" in message and "'/structure/species_names'" in message


def test_sublattice_index_out_of_range(run_file):
    with h5py.File(run_file, "r+") as h5:
        h5["/structure/sublattice"][0] = 2
    assert "'/structure/sublattice' has index 2" in load_error(run_file)


def test_probe_without_attributes(run_file):
    with h5py.File(run_file, "r+") as h5:
        del h5["/exchange_probe"].attrs["from"]
    assert "'/exchange_probe' lacks attribute(s) 'from'" in load_error(run_file)


# ------------------------------------------------------------------------------ structures
@pytest.mark.parametrize("snapshot, temperature", [(0, 0), (1, 4), (2, 11)])
def test_snapshot_structure_drops_vacancies(run_file, snapshot, temperature):
    r = load_run(run_file)
    lattice, positions, symbols = snapshot_structure(r, snapshot, temperature)
    expected = rf.expected_snapshot(snapshot, temperature)
    keep = [name != "Va" for name in expected]
    n_va = 1 + (snapshot + temperature) % 3
    assert len(symbols) == rf.N_SITES - n_va == positions.shape[0]
    assert symbols == [name for name in expected if name != "Va"]
    assert "Va" not in symbols
    assert symbols.count("O") == 18 and symbols.count("Na") == 9 - n_va
    assert symbols.count("Sb") == 3 and symbols.count("Ni") == 6
    np.testing.assert_allclose(positions, r.structure.positions[np.array(keep)])
    np.testing.assert_allclose(lattice, rf.supercell_lattice())


def test_snapshot_structure_negative_indices_and_path(run_file):
    last = snapshot_structure(run_file, -1, -1)
    explicit = snapshot_structure(load_run(run_file), 2, 11)
    assert last[2] == explicit[2]
    np.testing.assert_array_equal(last[1], explicit[1])


def test_snapshot_structure_custom_vacancy(run_file):
    _, positions, symbols = snapshot_structure(run_file, 0, 0, vacancy=("Va", "O"))
    assert set(symbols) == {"Ni", "Sb", "Na"} and positions.shape[0] == len(symbols)


@pytest.mark.parametrize("snapshot, temperature", [(3, 0), (-4, 0), (0, 12)])
def test_snapshot_structure_out_of_range(run_file, snapshot, temperature):
    with pytest.raises(IndexError, match="out of range"):
        snapshot_structure(run_file, snapshot, temperature)


def test_snapshot_structure_without_snapshots(run_file_minimal):
    with pytest.raises(ValueError, match=r"run_minimal\.h5: no snapshots"):
        snapshot_structure(run_file_minimal, 0, 0)


def test_to_ase_atoms(run_file):
    pytest.importorskip("ase", reason="ASE is an optional dependency (Debian: python3-ase)")
    atoms = to_ase_atoms(run_file, snapshot_index=1, temperature_index=4)
    _, positions, symbols = snapshot_structure(run_file, 1, 4)
    assert atoms.get_chemical_symbols() == symbols
    np.testing.assert_allclose(atoms.get_positions(), positions)
    np.testing.assert_allclose(atoms.cell[:], rf.supercell_lattice())
    assert all(atoms.pbc)
    renamed = to_ase_atoms(run_file, 1, 4, symbol_map={"Sb": "Te"})
    assert renamed.get_chemical_symbols().count("Te") == 3


# --------------------------------------------------------------------------- table, plots
def test_format_run_table(run_file, run_file_minimal):
    lines = format_run_table(run_file).splitlines()
    assert len(lines) == 1 + 12
    assert "T/K" in lines[0] and "<psi>" in lines[0] and "acc" in lines[0]
    assert lines[1].split()[0] == "300.00" and lines[-1].split()[-1] == "-"
    minimal = format_run_table(load_run(run_file_minimal)).splitlines()
    assert len(minimal) == 1 + 9
    assert minimal[1].split()[1:3] == ["-", "-"]       # no honeycomb
    assert minimal[4].split()[-1] == "-"               # never-attempted pair 3


def test_run_figure_text_carries_provenance(run_file):
    title, caption = run_figure_text(load_run(run_file))
    text = title + "\n" + caption
    assert rf.PROVENANCE["model_name"] in title
    assert "Ewald energy of formal charges" in title and "no cluster-expansion terms" in title
    assert ("ab" * 6) in caption and ("cd" * 6) in caption
    assert "tmorder 0.4.0" in caption and "0123456789ab" in caption
    assert "ab" * 32 not in text  # hashes are shortened


def test_fit_provenance_text_names_the_training_data():
    import json

    from tmorder_analysis.plots import fit_provenance_text

    model = {"name": "m", "provenance": {"fit": {
        "n_structures": 37, "training_file": "clusters/x/dft/training.extxyz", "method": "lasso",
        "cv_rmse_mev_per_site": 12.345,
        "training_provenance": {"dft_code": "gpaw 22.8.0", "dft_xc": "PBE", "dft_hubbard_u": "Ni:6.2",
                                "dft_ecut_eV": "450.0", "dft_geometry": "unrelaxed",
                                "dft_mixer": {"mixed": {"a": 1, "b": 2}, "frames_without": 0}}}}}
    text = fit_provenance_text(json.dumps(model))
    assert text.startswith("fitted to 37 structures (training.extxyz), lasso, CV RMSE 12.3 meV/site")
    assert "gpaw 22.8.0" in text and "PBE" in text and "U Ni:6.2 eV" in text and "unrelaxed" in text
    assert fit_provenance_text(json.dumps({"name": "m"})) == ""   # not fitted
    assert fit_provenance_text("[[sublattices]]\nname = 'TM'") == ""  # a TOML definition


def test_plot_run_from_path_and_results(run_file, tmp_path):
    out = tmp_path / "run.png"
    written = plot_run(run_file, out)
    assert Path(written) == out
    assert_png(out)
    assert_png(plot_run(load_run(run_file), tmp_path / "again.png"))


def test_plot_run_minimal(run_file_minimal, tmp_path):
    assert_png(plot_run(run_file_minimal, tmp_path / "minimal.png"))


def test_plot_run_peak_at_end(tmp_path):
    path = write_run_file(tmp_path / "edge.h5", temperatures=np.linspace(300.0, 600.0, 4), t_c=1000.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the plot marks the edge without warning
        assert_png(plot_run(path, tmp_path / "edge.png"))


@pytest.mark.parametrize("temperatures", [[700.0], [600.0, 900.0]])
def test_tiny_ladders(tmp_path, temperatures):
    path = write_run_file(tmp_path / "tiny.h5", temperatures=temperatures, n_ranks=1)
    r = load_run(path)
    assert r.exchange.pair_acceptance.shape == (len(temperatures) - 1,)
    with pytest.warns(RuntimeWarning):
        assert transition_temperature(r) in temperatures
    assert len(format_run_table(r).splitlines()) == 1 + len(temperatures)
    assert_png(plot_run(r, tmp_path / "tiny.png"))


# ------------------------------------------------------------------------------------ CLI
def test_cli_default_output_from_other_directory(run_file, tmp_path):
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    result = run_script([run_file], cwd=workdir)
    assert result.returncode == 0, result.stderr
    expected = Path(run_file).with_suffix(".png")
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == str(expected)
    assert_png(expected)
    t_c = transition_temperature(run_file)
    assert f"transition temperature (heat-capacity maximum, parabolic refinement): {t_c:.1f} K" \
        in result.stdout
    assert rf.PROVENANCE["energy_model"] in result.stdout
    table = format_run_table(run_file)
    assert table in result.stdout


def test_cli_explicit_output(run_file_minimal, tmp_path):
    out = tmp_path / "custom name.png"
    result = run_script([run_file_minimal, "-o", out], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(out)
    assert_png(out)


def test_cli_bad_file(run_file, tmp_path):
    with h5py.File(run_file, "r+") as h5:
        h5.attrs["schema"] = "tmorder-model"
    result = run_script([run_file], cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr and str(run_file) in result.stderr and "schema" in result.stderr
    assert not Path(run_file).with_suffix(".png").exists()


def test_cli_missing_file(tmp_path):
    result = run_script([tmp_path / "absent.h5"], cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "absent.h5" in result.stderr


# ---------------------------------------------------------------------------- real run
def _real_run_file(tmp_path):
    """TMORDER_RUN_FILE if set (any results file of `tmorder run`); otherwise a short real run
    of the demo model made here with the binary under test (never skipped)."""
    value = os.environ.get("TMORDER_RUN_FILE")
    if value:
        path = Path(value)
        if not path.is_file():
            pytest.fail(f"TMORDER_RUN_FILE={value} is not a file")
        return path
    from test_cluster_space import _find_binary

    binary = _find_binary()
    repo = Path(__file__).resolve().parents[2]
    (tmp_path / "run.toml").write_text(f"""
[model]
file = "{repo / 'clusters' / 'o3-nanisb-pointcharge' / 'model.toml'}"
[supercell]
repetitions = [3, 3, 3]
[ensemble.composition.TM]
Ni = "2/3"
Sb = "1/3"
[temperatures]
min = 2500.0
max = 8000.0
count = 5
[sampling]
equilibration_sweeps = 100
production_sweeps = 600
sample_interval = 2
snapshot_interval = 300
observables = ["energy", "honeycomb", "concentrations", "warren_cowley"]
[observables.honeycomb]
sublattice = "TM"
species = "Sb"
[run]
seed = 3
output = "real.h5"
""")
    proc = subprocess.run([str(binary), "run", "run.toml", "--quiet"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "real.h5"


def test_real_run_file(tmp_path):
    path = _real_run_file(tmp_path)
    r = load_run(path)
    assert r.metadata["schema"] == "tmorder-run" and r.metadata["schema_version"] == 1
    assert r.model_name and r.energy_model
    assert r.n_temperatures >= 1 and r.n_samples >= 1
    assert "energy" in r.timeseries
    assert np.all(np.isfinite(r.averages["energy"].mean)), r.averages["energy"].mean
    assert np.all(np.isfinite(r.heat_capacity[0])) and np.all(r.heat_capacity[0] >= 0.0)
    assert r.metadata["n_replicas"] == r.n_temperatures
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        t_c = transition_temperature(r)
    assert r.temperatures[0] <= t_c <= r.temperatures[-1]
    if r.has_snapshots:
        _, positions, symbols = snapshot_structure(r, -1, 0)
        assert "Va" not in symbols and positions.shape == (len(symbols), 3)
    assert_png(plot_run(r, tmp_path / "real_run.png"))
    result = run_script([path, "-o", tmp_path / "real_cli.png"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_png(tmp_path / "real_cli.png")
