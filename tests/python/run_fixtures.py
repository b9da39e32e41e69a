"""Synthetic ``tmorder run`` results files (schema "tmorder-run", version 1) for the tests.

:func:`write_run_file` writes, with h5py, a file that follows the run-results contract
(see analysis/tmorder_analysis/run_results.py) exactly: a fake order-disorder run of a
layered Na(Ni2/3 Sb1/3)O2-like 3 x 3 supercell on a geometric temperature ladder, with a
sigmoidal honeycomb order parameter psi(T) and a heat capacity peaked at a known T_c.
"""

from pathlib import Path

import h5py
import numpy as np

STR = h5py.string_dtype("utf-8")

T_C = 800.0            # K, position of the heat-capacity peak
C_WIDTH = 150.0        # K, Gaussian width of the peak
C_PEAK = 2.5           # k_B/site above the background
C_BACKGROUND = 0.5     # k_B/site
PSI_WIDTH = 40.0       # K, width of the sigmoidal psi(T)
TAU = 2.0              # samples, fake integrated autocorrelation time

SPECIES_NAMES = ["Ni", "Sb", "Na", "Va", "O"]
SUBLATTICE_NAMES = ["TM", "Na"]
A = 3.0                # Angstrom, in-plane lattice parameter
C = 10.0               # Angstrom, stacking period
REPS = 3               # 3 x 3 x 1 supercell
# Parent basis: (fractional position, sublattice index, fixed species or None)
BASIS = [
    ((0.0, 0.0, 0.0), 0, None),             # TM
    ((0.0, 0.0, 0.5), 1, None),             # Na
    ((1 / 3, 2 / 3, 0.25), -1, "O"),
    ((2 / 3, 1 / 3, 0.75), -1, "O"),
]
N_SITES = REPS * REPS * len(BASIS)          # 36, fixed O included
N_ACTIVE = REPS * REPS * 2                  # 18

PROVENANCE = {
    "tmorder_version": "0.4.0",
    "git_commit": "0123456789abcdef0123456789abcdef01234567",
    "model_name": "NaNiSbO2-test",
    "model_file": "clusters/nanisbo/model.json",
    "model_sha256": "ab" * 32,
    "input_file": "inputs/test_run.toml",
    "input_sha256": "cd" * 32,
    "energy_model": ("point-charge model: Ewald energy of formal charges Ni+2 Sb+5 Na+1 O-2 x 0.05; "
                     "no cluster-expansion terms"),
}


def geometric_ladder(t_min, t_max, n):
    """n temperatures from t_min to t_max (K) with a constant ratio."""
    return t_min * (t_max / t_min) ** (np.arange(n) / (n - 1))


def gaussian_heat_capacity(temperatures, t_c=T_C):
    """C(T) in k_B/site: background plus a Gaussian peak at t_c."""
    t = np.asarray(temperatures, dtype=float)
    return C_BACKGROUND + C_PEAK * np.exp(-0.5 * ((t - t_c) / C_WIDTH) ** 2)


def psi_of_t(temperatures, t_c=T_C):
    """Sigmoidal honeycomb order parameter: about 0.95 far below t_c, 0.05 far above."""
    t = np.asarray(temperatures, dtype=float)
    return 0.05 + 0.9 / (1.0 + np.exp((t - t_c) / PSI_WIDTH))


def site_table():
    """Cartesian positions (n, 3), sublattice indices (n,), fixed species (n,) of the supercell."""
    lattice = supercell_lattice()
    frac, sub, fixed = [], [], []
    for i in range(REPS):
        for j in range(REPS):
            for (x, y, z), s, f in BASIS:
                frac.append(((x + i) / REPS, (y + j) / REPS, z))
                sub.append(s)
                fixed.append(f)
    return np.array(frac) @ lattice, np.array(sub, dtype=np.int64), fixed


def supercell_lattice():
    return np.array([[REPS * A, 0.0, 0.0],
                     [-REPS * A / 2, REPS * A * np.sqrt(3.0) / 2, 0.0],
                     [0.0, 0.0, C]])


def expected_snapshot(snapshot_index, temperature_index):
    """Species name of every site in snapshot i at temperature index k (as written).

    TM sites: Sb on every third TM site (shifted with k), Ni elsewhere. Na sites: the
    first 1 + (i + k) % 3 Na-sublattice sites are vacant ("Va"). Fixed sites: O.
    """
    _, sub, fixed = site_table()
    names = []
    tm_count = na_count = 0
    n_va = 1 + (snapshot_index + temperature_index) % 3
    for s, f in zip(sub, fixed):
        if s == -1:
            names.append(f)
        elif s == 0:
            names.append("Sb" if (tm_count + temperature_index) % 3 == 0 else "Ni")
            tm_count += 1
        else:
            names.append("Va" if na_count < n_va else "Na")
            na_count += 1
    return names


def _ds(group, name, data, units=None, dtype=None):
    ds = group.create_dataset(name, data=data, dtype=dtype)
    if units is not None:
        ds.attrs["units"] = units
    return ds


def write_run_file(path, *, n_t=12, n_samples=200, t_min=300.0, t_max=1500.0, t_c=T_C,
                   heat_capacity=None, temperatures=None, honeycomb=True, snapshots=True,
                   exchange_probe=True, adaptive=True, n_ranks=4, never_attempted_pair=None,
                   seed=11):
    """Write a synthetic run-results file following the contract and return its path.

    Parameters
    ----------
    path : path-like
    n_t, t_min, t_max : ladder size and ends (geometric ladder), unless ``temperatures``.
    n_samples : number of samples n_s.
    t_c : K, centre of the sigmoidal psi(T) and of the Gaussian heat-capacity peak.
    heat_capacity : array (n_t,), optional; overrides the Gaussian C(T) (k_B/site).
    temperatures : array (n_t,), optional; overrides the geometric ladder.
    honeycomb : record the honeycomb order parameter (and concentrations, Warren-Cowley).
    snapshots : write /snapshots (3 snapshots).
    exchange_probe : write /exchange_probe.
    adaptive : three ladder-history rows (else one).
    n_ranks : MPI ranks (timing arrays).
    never_attempted_pair : int, optional; this neighbour pair gets 0 attempts and NaN acceptance.
    """
    path = Path(path)
    rng = np.random.default_rng(seed)
    t = (np.asarray(temperatures, dtype=float) if temperatures is not None
         else geometric_ladder(t_min, t_max, n_t))
    n_t = t.shape[0]
    n_s = n_samples
    sweeps = 10 * np.arange(1, n_s + 1, dtype=np.int64)

    # replica permutation: random neighbour swaps between samples
    replica = np.empty((n_s, n_t), dtype=np.int64)
    current = np.arange(n_t)
    for s in range(n_s):
        for k in range(s % 2, n_t - 1, 2):
            if rng.random() < 0.4:
                current[[k, k + 1]] = current[[k + 1, k]]
        replica[s] = current

    psi_mean = psi_of_t(t, t_c)
    psi = np.clip(psi_mean[None, :] + rng.normal(0.0, 0.02, (n_s, n_t)), 0.0, 1.0)
    energy = -5.0 + 1.0e-4 * t[None, :] - 0.05 * psi + rng.normal(0.0, 0.002, (n_s, n_t))
    series = {"energy": (energy, "eV/site")}
    if honeycomb:
        series["honeycomb"] = (psi, "1")
        series["concentration/TM/Sb"] = (np.full((n_s, n_t), 1 / 3), "1")
        series["concentration/TM/Ni"] = (np.full((n_s, n_t), 2 / 3), "1")
        series["warren_cowley/1/Ni-Sb"] = (-0.5 * psi, "1")

    c_mean = gaussian_heat_capacity(t, t_c) if heat_capacity is None else np.asarray(heat_capacity, float)

    with h5py.File(path, "w") as h5:
        at = h5.attrs
        at["schema"] = "tmorder-run"
        at["schema_version"] = np.int64(1)
        for key, value in PROVENANCE.items():
            at[key] = value
        at["command_line"] = f"mpirun -n {n_ranks} tmorder run {PROVENANCE['input_file']}"
        at["n_ranks"] = np.int64(n_ranks)
        at["n_replicas"] = np.int64(n_t)
        at["seed"] = np.int64(12345)
        at["started_utc"] = "2024-06-01T10:00:00Z"
        at["finished_utc"] = "2024-06-01T11:00:00Z"
        at["wall_seconds"] = 3600.0
        at["ensemble"] = "canonical"
        at["n_sites"] = np.int64(N_ACTIVE)
        at["n_formula_units"] = np.int64(REPS * REPS)
        at["formula_unit"] = "Na1 (Ni,Sb)1 O2"
        at["restarts"] = np.int64(0)

        _ds(h5.create_group("input"), "text", ["[model]\npath = 'model.json'\n"], dtype=STR)
        _ds(h5.create_group("model"), "text", ['{"schema": "tmorder-model"}'], dtype=STR)
        _ds(h5, "temperatures", t, "K", dtype="f8")
        if adaptive:
            initial = np.linspace(t[0], t[-1], n_t)  # linear start, adapted towards t
            history = np.vstack([initial, 0.5 * (initial + t), t])
        else:
            history = t[None, :]
        _ds(h5.create_group("ladder"), "history", history, "K", dtype="f8")

        ts = h5.create_group("timeseries")
        _ds(ts, "sweep", sweeps, "sweeps")
        _ds(ts, "replica", replica, "1")
        av = h5.create_group("averages")
        for name, (values, units) in series.items():
            _ds(ts, name, values, units, dtype="f8")  # h5py creates the nested groups
            g = av.create_group(name)
            _ds(g, "mean", values.mean(axis=0), units, dtype="f8")
            _ds(g, "stderr", values.std(axis=0) / np.sqrt(n_s) * np.sqrt(2 * TAU), units, dtype="f8")
            _ds(g, "tau", np.full(n_t, TAU), "samples", dtype="f8")
        g = av.create_group("heat_capacity")
        _ds(g, "mean", c_mean, "k_B/site", dtype="f8")
        _ds(g, "stderr", 0.05 * c_mean, "k_B/site", dtype="f8")
        g = av.create_group("energy_per_formula_unit")
        e_fu = energy.mean(axis=0) * N_ACTIVE / (REPS * REPS)
        _ds(g, "mean", e_fu, "eV/f.u.", dtype="f8")
        _ds(g, "stderr", np.full(n_t, 1e-3), "eV/f.u.", dtype="f8")

        ex = h5.create_group("exchange")
        pair_t = 0.5 * (t[:-1] + t[1:])
        acceptance = 0.6 - 0.4 * np.exp(-0.5 * ((pair_t - t_c) / C_WIDTH) ** 2)
        attempts = np.full(n_t - 1, 500, dtype=np.int64)
        if never_attempted_pair is not None:
            acceptance[never_attempted_pair] = np.nan
            attempts[never_attempted_pair] = 0
        _ds(ex, "pair_acceptance", acceptance, "1", dtype="f8")
        _ds(ex, "pair_attempts", attempts, "1")
        _ds(ex, "round_trips", np.arange(n_t, dtype=np.int64) % 4, "1")
        _ds(ex, "up_fraction", np.linspace(1.0, 0.0, n_t), "1", dtype="f8")

        tm = h5.create_group("timing")
        _ds(tm, "sweep_seconds", np.linspace(3000.0, 3100.0, n_ranks), "s", dtype="f8")
        _ds(tm, "exchange_seconds", np.linspace(20.0, 25.0, n_ranks), "s", dtype="f8")

        positions, sublattice, _ = site_table()
        st = h5.create_group("structure")
        _ds(st, "lattice", supercell_lattice(), "angstrom", dtype="f8")
        _ds(st, "positions", positions, "angstrom", dtype="f8")
        _ds(st, "species_names", SPECIES_NAMES, dtype=STR)
        _ds(st, "sublattice", sublattice, "1")
        _ds(st, "sublattice_names", SUBLATTICE_NAMES, dtype=STR)

        if snapshots:
            n_snap = 3
            species = np.array([[[SPECIES_NAMES.index(name) for name in expected_snapshot(i, k)]
                                 for k in range(n_t)] for i in range(n_snap)], dtype=np.int64)
            sn = h5.create_group("snapshots")
            _ds(sn, "sweep", sweeps[-1] // n_snap * np.arange(1, n_snap + 1, dtype=np.int64), "sweeps")
            _ds(sn, "species", species, "1")

        if exchange_probe:
            pr = h5.create_group("exchange_probe")
            pr.attrs["species"] = "Ni"
            pr.attrs["from"] = "TM"
            pr.attrs["to"] = "Na"
            index = np.repeat(np.arange(n_t, dtype=np.int64), 5)
            _ds(pr, "temperature_index", index, "1")
            _ds(pr, "energy", 1.0 + 0.1 * rng.standard_normal(index.shape[0]), "eV", dtype="f8")
    return path
