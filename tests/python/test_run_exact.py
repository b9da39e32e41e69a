"""End-to-end physics of `tmorder run` on 2 MPI ranks against exact enumeration.

A binary triangular layer (4 x 4 = 16 sites, 6 B atoms, canonical) with a nearest-neighbour
pair interaction has C(16, 6) = 8008 configurations: its exact canonical mean energy and heat
capacity follow from enumerating them in numpy. A replica-exchange run over four
temperatures (two replicas per rank, temperatures exchanged across ranks) must reproduce both
within 4 standard errors at every temperature, and every configuration snapshot in the
results file must have exactly the energy the run recorded for it (an independent evaluation
of the model from positions and species).
"""

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

from test_cluster_space import _find_binary

REPO = Path(__file__).resolve().parents[2]
K_B = 8.617333262e-5  # eV/K
J_PAIR = 0.1  # eV per parent cell on the nearest-neighbour pair correlation
TEMPERATURES = [300.0, 500.0, 900.0, 1600.0]
L = 4
N_B = 6

MODEL_TOML = """
[model]
name = "triangular-exact"
description = "triangular layer, {A, B}, nearest-neighbour pairs only"
[structure]
cell = [[3.0, 0.0, 0.0], [-1.5, 2.598076211353316, 0.0], [0.0, 0.0, 20.0]]
positions = [[0.0, 0.0, 0.0]]
species = ["A"]
[[sublattices]]
name = "M"
sites = "A"
species = ["A", "B"]
[clusters]
cutoffs = [3.1]
"""


def nn_pairs(n):
    """Nearest-neighbour pairs (i < j) of an n x n periodic triangular lattice."""
    pairs = set()
    for x, y in itertools.product(range(n), repeat=2):
        i = x * n + y
        for dx, dy in ((1, 0), (0, 1), (1, 1)):  # a1, a2, a1 + a2: |a1 + a2| = a at 120 degrees
            j = ((x + dx) % n) * n + (y + dy) % n
            pairs.add((min(i, j), max(i, j)))
    return np.array(sorted(pairs))


def pair_energy(spins, pairs):
    """E_total = (J / 3) sum over NN pairs s_i s_j: the correlation of the NN pair orbit is the
    mean of s_i s_j over its 3 clusters per cell, times J per cell."""
    return J_PAIR / 3.0 * np.sum(spins[..., pairs[:, 0]] * spins[..., pairs[:, 1]], axis=-1)


def exact_averages(pairs):
    n = L * L
    energies = []
    for b_sites in itertools.combinations(range(n), N_B):
        s = np.ones(n)
        s[list(b_sites)] = -1.0
        energies.append(pair_energy(s, pairs))
    energies = np.array(energies)
    out = []
    for t in TEMPERATURES:
        beta = 1.0 / (K_B * t)
        w = np.exp(-beta * (energies - energies.min()))
        z = w.sum()
        mean = np.sum(w * energies) / z
        var = np.sum(w * energies**2) / z - mean**2
        out.append((mean / n, var * beta**2 / n))  # eV/site, C/k_B per site
    return out


def clean_env():
    """The environment without Open MPI/PMIx variables: a launcher started from a process that
    is itself part of an MPI job (or an MPI singleton) would otherwise try to join it."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("OMPI_", "PMIX_", "OPAL_"))}


def mpirun_prefix():
    mpirun = shutil.which("mpirun") or shutil.which("mpiexec")
    if mpirun is None:
        pytest.fail("mpirun not found: Open MPI (openmpi-bin) is required for this test")
    cmd = [mpirun, "-n", "2", "--oversubscribe"]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


def test_replica_exchange_run_matches_exact_enumeration(tmp_path):
    tmorder_binary = _find_binary()
    model_toml = tmp_path / "model.toml"
    model_toml.write_text(MODEL_TOML)
    model_json = tmp_path / "model.json"
    subprocess.run([str(tmorder_binary), "build-model", str(model_toml), "-o", str(model_json)], check=True,
                   capture_output=True)
    model = json.loads(model_json.read_text())
    assert model["n_functions"] == 3  # empty, point, nearest-neighbour pair
    model["ecis"] = [0.0, 0.0, J_PAIR]
    model_json.write_text(json.dumps(model))

    (tmp_path / "run.toml").write_text(f"""
[model]
file = "model.json"
[supercell]
repetitions = [{L}, {L}, 1]
[ensemble.composition.M]
A = "{L * L - N_B}/{L * L}"
B = "{N_B}/{L * L}"
[temperatures]
list = {TEMPERATURES}
[sampling]
equilibration_sweeps = 500
production_sweeps = 40000
sample_interval = 2
exchange_interval = 1
snapshot_interval = 4000
[run]
seed = 2026
output = "run.h5"
""")
    proc = subprocess.run(mpirun_prefix() + [str(tmorder_binary), "run", "run.toml", "--quiet"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, env=clean_env())
    assert proc.returncode == 0, proc.stderr

    pairs = nn_pairs(L)
    exact = exact_averages(pairs)
    with h5py.File(tmp_path / "run.h5", "r") as f:
        assert f.attrs["n_ranks"] == 2
        mean = f["averages/energy/mean"][()]
        err = f["averages/energy/stderr"][()]
        c = f["averages/heat_capacity/mean"][()]
        c_err = f["averages/heat_capacity/stderr"][()]
        acceptance = f["exchange/pair_acceptance"][()]
        for k, (e_exact, c_exact) in enumerate(exact):
            assert abs(mean[k] - e_exact) < 4 * err[k] + 1e-12, (TEMPERATURES[k], mean[k], e_exact, err[k])
            assert abs(c[k] - c_exact) < 4 * c_err[k], (TEMPERATURES[k], c[k], c_exact, c_err[k])
        # The test only bites if the ladder really exchanges and the temperatures differ.
        assert np.all(acceptance > 0.05), acceptance
        assert exact[0][0] < exact[-1][0] - 0.01

        # Snapshots: the energy of each stored configuration, evaluated here from the
        # positions and species, equals the energy recorded at that sweep.
        names = [s.decode() if isinstance(s, bytes) else s for s in f["structure/species_names"][()]]
        positions = f["structure/positions"][()]
        species = f["snapshots/species"][()]
        snap_sweeps = f["snapshots/sweep"][()]
        sweeps = f["timeseries/sweep"][()]
        energy_series = f["timeseries/energy"][()]
        # Site order of the file -> (x, y) lattice coordinates of nn_pairs.
        a1 = np.array([3.0, 0.0]), np.array([-1.5, 2.598076211353316])
        basis = np.column_stack(a1)
        frac = np.linalg.solve(basis, positions[:, :2].T).T
        index = np.rint(frac).astype(int) % L
        order = index[:, 0] * L + index[:, 1]
        assert sorted(order) == list(range(L * L))
        checked = 0
        for s, sweep in enumerate(snap_sweeps):
            row = int(np.nonzero(sweeps == sweep)[0][0])
            for k in range(len(TEMPERATURES)):
                spins = np.empty(L * L)
                for site, sp in enumerate(species[s, k]):
                    spins[order[site]] = 1.0 if names[sp] == "A" else -1.0
                assert np.sum(spins < 0) == N_B
                assert pair_energy(spins, pairs) / (L * L) == pytest.approx(energy_series[row, k], abs=1e-9)
                checked += 1
        assert checked == len(snap_sweeps) * len(TEMPERATURES) >= 40


def test_semi_grand_run_follows_the_fermi_function(tmp_path):
    """Semi-grand flips with no interactions: every site is independently B with probability
    1 / (1 + exp(-(mu_B - mu_A) / k_B T)), the exact Fermi function."""
    tmorder_binary = _find_binary()
    (tmp_path / "model.toml").write_text(MODEL_TOML)
    model_json = tmp_path / "model.json"
    subprocess.run([str(tmorder_binary), "build-model", "model.toml", "-o", str(model_json)], cwd=tmp_path, check=True,
                   capture_output=True)
    model = json.loads(model_json.read_text())
    model["ecis"] = [0.0, 0.0, 0.0]
    model_json.write_text(json.dumps(model))
    dmu = 0.04  # eV
    temps = [200.0, 400.0, 800.0]
    (tmp_path / "run.toml").write_text(f"""
[model]
file = "model.json"
[supercell]
repetitions = [6, 6, 1]
[ensemble]
type = "semi-grand"
[ensemble.chemical_potentials.M]
A = 0.0
B = {dmu}
[temperatures]
list = {temps}
[sampling]
equilibration_sweeps = 200
production_sweeps = 20000
sample_interval = 5
observables = ["energy", "concentrations"]
[run]
seed = 99
output = "sgc.h5"
""")
    proc = subprocess.run(mpirun_prefix() + [str(tmorder_binary), "run", "run.toml", "--quiet"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600, env=clean_env())
    assert proc.returncode == 0, proc.stderr
    with h5py.File(tmp_path / "sgc.h5", "r") as f:
        assert f.attrs["ensemble"] == "semi-grand"
        x = f["averages/concentration/M/B/mean"][()]
        err = f["averages/concentration/M/B/stderr"][()]
        a = f["averages/concentration/M/A/mean"][()]
    for k, t in enumerate(temps):
        exact = 1.0 / (1.0 + np.exp(-dmu / (K_B * t)))
        assert abs(x[k] - exact) < 4 * err[k], (t, x[k], exact, err[k])
        assert x[k] + a[k] == pytest.approx(1.0)
    assert x[0] > x[-1] + 0.05  # the temperature dependence is resolved


EXCHANGE_MODEL_TOML = """
[model]
name = "o3-cu-exchange"
description = "O3, TM {Ni, Sb, Cu, Na}, Na layer {Na, Cu}: Cu can leave the TM layer"
[structure]
file = "POSCAR"
[[sublattices]]
name = "TM"
sites = "Ni"
species = ["Ni", "Sb", "Cu", "Na"]
[[sublattices]]
name = "Na"
sites = "Na"
species = ["Na", "Cu"]
[clusters]
cutoffs = [3.2]
[electrostatics]
charges = { Ni = 2, Sb = 5, Cu = 2, Na = 1, O = -2 }
coefficient = 0.1
"""


def test_exchange_probe_is_recorded_for_every_cu_and_neighbour(tmp_path):
    """Cu on TM sites probed into the Na layer: 6 edge-sharing Na-layer neighbours per Cu
    (3 above, 3 below) in O3, so 6 x (number of Cu on TM) energies per temperature, all
    finite, and the Ewald part present (the model has no cluster-expansion terms, so without it
    every energy would be 0)."""
    tmorder_binary = _find_binary()
    shutil.copy(REPO / "clusters" / "o3-nanisbcu" / "POSCAR", tmp_path / "POSCAR")
    (tmp_path / "model.toml").write_text(EXCHANGE_MODEL_TOML)
    (tmp_path / "run.toml").write_text("""
[model]
file = "model.toml"
[supercell]
repetitions = [3, 3, 3]
[ensemble.composition.TM]
Ni = "15/27"
Sb = "9/27"
Cu = "3/27"
Na = 0
[ensemble.composition.Na]
Na = 1.0
Cu = 0.0
[temperatures]
list = [3000.0, 30000.0]
[sampling]
production_sweeps = 50
observables = ["energy", "exchange_probe"]
[observables.exchange_probe]
species = "Cu"
from = "TM"
to = "Na"
[run]
seed = 5
output = "probe.h5"
""")
    proc = subprocess.run([str(tmorder_binary), "run", "run.toml", "--quiet"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with h5py.File(tmp_path / "probe.h5", "r") as f:
        t_index = f["exchange_probe/temperature_index"][()]
        energy = f["exchange_probe/energy"][()]
        assert f["exchange_probe"].attrs["species"] == "Cu"
        assert f["exchange_probe/energy"].attrs["units"] == "eV"
    assert sorted(set(t_index.tolist())) == [0, 1]
    for k in (0, 1):
        assert np.sum(t_index == k) == 6 * 3  # canonical swaps on TM keep 3 Cu there
    assert np.all(np.isfinite(energy))
    assert np.all(np.abs(energy) > 1e-6)
    # Disordered at 30000 K: Cu environments differ, and so do the exchange energies.
    assert np.std(energy[t_index == 1]) > 0.01, energy[t_index == 1]
