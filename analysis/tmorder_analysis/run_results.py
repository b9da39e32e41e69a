"""Read the results file written by ``tmorder run`` (schema ``"tmorder-run"``, version 1).

The layout (the contract between ``tmorder run`` and this reader) is::

    /                      attrs: schema = "tmorder-run", schema_version = 1,
                                  tmorder_version, git_commit, command_line,
                                  n_ranks, n_replicas, seed, started_utc,
                                  finished_utc, wall_seconds, model_name,
                                  model_file, model_sha256, input_file,
                                  input_sha256, energy_model, ensemble,
                                  n_sites (active sites), n_formula_units,
                                  formula_unit, restarts
    /input/text            str (1,)          the run input's text
    /model/text            str (1,)          the model file's text
    /temperatures          float (n_T,)      "K", ascending (production ladder)
    /ladder/history        float (m, n_T)    "K", initial ladder first
    /timeseries/sweep      int64 (n_s,)      "sweeps"
    /timeseries/replica    int64 (n_s, n_T)  "1", replica at temperature index k
    /timeseries/<name>     float (n_s, n_T)  one per observable; <name> may be
                                             nested, e.g. "concentration/TM/Sb"
    /averages/<name>/mean, /stderr, /tau     float (n_T,)  for every timeseries
                                             name (tau in "samples"), plus
    /averages/heat_capacity/mean, /stderr             "k_B/site"
    /averages/energy_per_formula_unit/mean, /stderr   "eV/f.u."
    /exchange/pair_acceptance  float (n_T-1,) "1" (NaN if never attempted)
    /exchange/pair_attempts    int64 (n_T-1,) "1"
    /exchange/round_trips      int64 (n_T,)   "1" (per replica)
    /exchange/up_fraction      float (n_T,)   "1"
    /timing/sweep_seconds      float (n_ranks,) "s"
    /timing/exchange_seconds   float (n_ranks,) "s"
    /structure/lattice         float (3, 3)   "angstrom" (rows = supercell vectors)
    /structure/positions       float (n, 3)   "angstrom" (Cartesian, all sites)
    /structure/species_names   str (k,)       every species of the model, "Va" included
    /structure/sublattice      int64 (n,)     "1" (-1 for fixed sites)
    /structure/sublattice_names str (q,)
    /snapshots/sweep           int64 (n_snap,) "sweeps"            optional
    /snapshots/species         int64 (n_snap, n_T, n) "1"          optional
    /exchange_probe/temperature_index int64 (n_events,) "1"        optional
    /exchange_probe/energy            float (n_events,) "eV"       optional
    /exchange_probe            attrs: species, from, to

Every numeric dataset carries a string attribute ``"units"``.

Assumptions where the contract is silent: ``/averages/<name>/stderr`` has the
units of the mean; the snapshot axis of length n_T is the temperature index
(like the timeseries columns), not the replica index; the root attribute
``n_sites`` counts active sites only and is therefore only checked to be
positive and at most the number of structure sites.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import h5py
import numpy as np

from ._hdf5 import as_str as _as_str
from ._hdf5 import checked_hdf5_path
from ._hdf5 import collect_units as _collect_units
from ._hdf5 import is_string_value as _is_string_value
from ._hdf5 import read_checked

__all__ = [
    "Average",
    "ExchangeProbeEvents",
    "ExchangeStats",
    "RunResults",
    "RunStructure",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Snapshots",
    "Timing",
    "VACANCY",
    "format_run_table",
    "load_run",
    "snapshot_structure",
    "to_ase_atoms",
    "transition_temperature",
]

#: Value of the root attribute ``schema`` of a run-results file.
SCHEMA = "tmorder-run"
#: The ``schema_version`` this reader understands.
SCHEMA_VERSION = 1
#: Species name of a vacancy; such sites are left out of structures.
VACANCY = "Va"

_STR_ATTRS = (
    "tmorder_version", "git_commit", "command_line", "started_utc", "finished_utc",
    "model_name", "model_file", "model_sha256", "input_file", "input_sha256",
    "energy_model", "ensemble", "formula_unit",
)
_INT_ATTRS = ("n_ranks", "n_replicas", "seed", "n_sites", "n_formula_units", "restarts")
_FLOAT_ATTRS = ("wall_seconds",)
#: Root attributes every run-results file must carry (besides schema / schema_version).
REQUIRED_ROOT_ATTRIBUTES = _STR_ATTRS + _INT_ATTRS + _FLOAT_ATTRS
_ENSEMBLES = ("canonical", "semi-grand")

# name -> (kind "float" / "int" / "str", ndim, expected units or None)
_REQUIRED_DATASETS = {
    "/input/text": ("str", 1, None),
    "/model/text": ("str", 1, None),
    "/temperatures": ("float", 1, "K"),
    "/ladder/history": ("float", 2, "K"),
    "/timeseries/sweep": ("int", 1, "sweeps"),
    "/timeseries/replica": ("int", 2, "1"),
    "/timeseries/energy": ("float", 2, "eV/site"),
    "/averages/heat_capacity/mean": ("float", 1, "k_B/site"),
    "/averages/heat_capacity/stderr": ("float", 1, "k_B/site"),
    "/averages/energy_per_formula_unit/mean": ("float", 1, "eV/f.u."),
    "/averages/energy_per_formula_unit/stderr": ("float", 1, "eV/f.u."),
    "/exchange/pair_acceptance": ("float", 1, "1"),
    "/exchange/pair_attempts": ("int", 1, "1"),
    "/exchange/round_trips": ("int", 1, "1"),
    "/exchange/up_fraction": ("float", 1, "1"),
    "/timing/sweep_seconds": ("float", 1, "s"),
    "/timing/exchange_seconds": ("float", 1, "s"),
    "/structure/lattice": ("float", 2, "angstrom"),
    "/structure/positions": ("float", 2, "angstrom"),
    "/structure/species_names": ("str", 1, None),
    "/structure/sublattice": ("int", 1, "1"),
    "/structure/sublattice_names": ("str", 1, None),
}
_SNAPSHOT_DATASETS = {
    "/snapshots/sweep": ("int", 1, "sweeps"),
    "/snapshots/species": ("int", 3, "1"),
}
_PROBE_DATASETS = {
    "/exchange_probe/temperature_index": ("int", 1, "1"),
    "/exchange_probe/energy": ("float", 1, "eV"),
}
_PROBE_ATTRIBUTES = ("species", "from", "to")
#: Averages that are not timeseries (no tau).
_DERIVED_AVERAGES = ("heat_capacity", "energy_per_formula_unit")


def _expected_observable_units(name: str) -> Optional[str]:
    """Units the contract fixes for a timeseries observable (None: any string)."""
    if name == "energy":
        return "eV/site"
    if name == "honeycomb" or name.startswith(("concentration/", "warren_cowley/")):
        return "1"
    return None


# ------------------------------------------------------------------ data classes
class Average(NamedTuple):
    """Thermal average of one observable per temperature.

    ``mean`` and ``stderr`` (binning / jackknife standard error) have shape
    (n_T,) and the observable's ``units``; ``tau`` is the integrated
    autocorrelation time in samples, or ``None`` for derived quantities
    (``heat_capacity``, ``energy_per_formula_unit``).
    """

    mean: np.ndarray
    stderr: np.ndarray
    tau: Optional[np.ndarray]
    units: str


@dataclass
class ExchangeStats:
    """Replica-exchange statistics.

    Attributes
    ----------
    pair_acceptance : numpy.ndarray, shape (n_T - 1,)
        Acceptance of swaps between temperatures k and k + 1 (NaN if never attempted).
    pair_attempts : numpy.ndarray of int, shape (n_T - 1,)
    round_trips : numpy.ndarray of int, shape (n_T,)
        Round trips per replica (indexed by replica, not temperature).
    up_fraction : numpy.ndarray, shape (n_T,)
        Fraction of replicas at each temperature moving up the ladder.
    """

    pair_acceptance: np.ndarray
    pair_attempts: np.ndarray
    round_trips: np.ndarray
    up_fraction: np.ndarray


@dataclass
class Timing:
    """Wall time per MPI rank (seconds) in sweeps and in exchanges (incl. communication)."""

    sweep_seconds: np.ndarray
    exchange_seconds: np.ndarray


@dataclass
class RunStructure:
    """The simulated supercell.

    Attributes
    ----------
    lattice : numpy.ndarray, shape (3, 3)
        Supercell lattice vectors (rows), Angstrom.
    positions : numpy.ndarray, shape (n_sites, 3)
        Cartesian positions of all sites (fixed ones included), Angstrom.
    species_names : numpy.ndarray of str, shape (k,)
        Every species name of the model, ``"Va"`` included; snapshots index it.
    sublattice : numpy.ndarray of int, shape (n_sites,)
        Index into ``sublattice_names``, -1 for fixed sites.
    sublattice_names : numpy.ndarray of str
    """

    lattice: np.ndarray
    positions: np.ndarray
    species_names: np.ndarray
    sublattice: np.ndarray
    sublattice_names: np.ndarray

    @property
    def n_sites(self) -> int:
        """Number of supercell sites (fixed ones included)."""
        return int(self.positions.shape[0])


@dataclass
class Snapshots:
    """Configurations taken during production.

    ``species[i, k, s]`` is the index into ``RunStructure.species_names`` of
    the species on site ``s`` at temperature index ``k`` in snapshot ``i``,
    taken at production sweep ``sweep[i]``.
    """

    sweep: np.ndarray
    species: np.ndarray = field(repr=False)

    @property
    def n_snapshots(self) -> int:
        return int(self.sweep.shape[0])


@dataclass
class ExchangeProbeEvents:
    """Exchange-energy probe of the final configurations.

    ``energy[i]`` (eV) is the energy change of moving one ``species`` from a
    ``from_sublattice`` site to a neighbouring ``to_sublattice`` site in the
    final configuration at temperature index ``temperature_index[i]``.
    """

    temperature_index: np.ndarray
    energy: np.ndarray
    species: str
    from_sublattice: str
    to_sublattice: str

    def energies_at(self, temperature_index: int) -> np.ndarray:
        """Event energies (eV) of one temperature index."""
        return self.energy[self.temperature_index == int(temperature_index)]


@dataclass
class RunResults:
    """Contents of a ``tmorder run`` results file.

    Attributes
    ----------
    path : pathlib.Path
        File the results were read from.
    metadata : dict
        Root attributes (provenance and run parameters); strings as ``str``,
        integers as ``int``, ``wall_seconds`` as ``float``.
    units : dict of str to str
        Units attribute of every numeric dataset, keyed by HDF5 path.
    temperatures : numpy.ndarray, shape (n_T,)
        Production ladder in K, ascending.
    ladder_history : numpy.ndarray, shape (m, n_T)
        Ladders in K, initial ladder first (one row if not adaptive).
    sweeps : numpy.ndarray of int, shape (n_s,)
        Production sweep count of each sample (1-based).
    replica : numpy.ndarray of int, shape (n_s, n_T)
        Replica index at temperature index k for each sample.
    timeseries : dict of str to numpy.ndarray
        Observable name (e.g. ``"energy"``, ``"honeycomb"``,
        ``"concentration/TM/Sb"``) -> samples, shape (n_s, n_T).
    timeseries_units : dict of str to str
        Observable name -> units.
    averages : dict of str to Average
        Observable name (every timeseries name plus ``"heat_capacity"`` and
        ``"energy_per_formula_unit"``) -> :class:`Average`.
    exchange : ExchangeStats
    timing : Timing
    structure : RunStructure
    snapshots : Snapshots or None
        ``None`` when no snapshots were taken.
    exchange_probe : ExchangeProbeEvents or None
        ``None`` when the exchange probe was not observed.
    input_text, model_text : str
        The run input's and the model file's text.
    """

    path: Path
    metadata: Dict[str, Any]
    units: Dict[str, str]
    temperatures: np.ndarray
    ladder_history: np.ndarray
    sweeps: np.ndarray
    replica: np.ndarray = field(repr=False)
    timeseries: Dict[str, np.ndarray] = field(repr=False)
    timeseries_units: Dict[str, str]
    averages: Dict[str, Average] = field(repr=False)
    exchange: ExchangeStats
    timing: Timing
    structure: RunStructure = field(repr=False)
    snapshots: Optional[Snapshots] = None
    exchange_probe: Optional[ExchangeProbeEvents] = None
    input_text: str = field(default="", repr=False)
    model_text: str = field(default="", repr=False)

    # --------------------------------------------------------------- metadata
    @property
    def model_name(self) -> str:
        """Root attribute ``model_name``."""
        return str(self.metadata.get("model_name", ""))

    @property
    def energy_model(self) -> str:
        """Root attribute ``energy_model`` (description of the Hamiltonian)."""
        return str(self.metadata.get("energy_model", ""))

    @property
    def tmorder_version(self) -> str:
        return str(self.metadata.get("tmorder_version", ""))

    @property
    def n_temperatures(self) -> int:
        return int(self.temperatures.shape[0])

    @property
    def n_samples(self) -> int:
        return int(self.sweeps.shape[0])

    @property
    def observable_names(self) -> List[str]:
        """Names of the recorded timeseries, sorted."""
        return sorted(self.timeseries)

    @property
    def heat_capacity(self) -> Tuple[np.ndarray, np.ndarray]:
        """Heat capacity per active site (k_B): (mean, stderr), each shape (n_T,)."""
        avg = self.averages["heat_capacity"]
        return avg.mean, avg.stderr

    @property
    def has_snapshots(self) -> bool:
        return self.snapshots is not None

    @property
    def pair_temperatures(self) -> np.ndarray:
        """Arithmetic mean temperature (K) of each neighbour pair (k, k + 1), shape (n_T - 1,)."""
        t = self.temperatures
        return 0.5 * (t[:-1] + t[1:])

    def provenance(self, digits: int = 12) -> str:
        """One-line provenance: model, hashes (first ``digits`` hex digits), tmorder version.

        Parameters
        ----------
        digits : int, optional
            Number of leading hex digits of the SHA-256 hashes and git commit.

        Returns
        -------
        str
            e.g. ``"model NaNiSb (sha256 1a2b3c4d5e6f) | input run.toml (sha256
            ...) | tmorder 0.4.0 (git 0123456789ab)"``.
        """
        m = self.metadata
        short = lambda key: str(m.get(key, ""))[:digits] or "?"  # noqa: E731
        return (f"model {self.model_name or '?'} (sha256 {short('model_sha256')}) | "
                f"input {Path(str(m.get('input_file', ''))).name or '?'} (sha256 {short('input_sha256')}) | "
                f"tmorder {self.tmorder_version or '?'} (git {short('git_commit')})")


# ---------------------------------------------------------------------- reading
def _scalar(value, path: Path, name: str, kind: str):
    """Root attribute ``name`` as a Python str / int / float, or ValueError."""
    if kind == "str":
        if not _is_string_value(value):
            raise ValueError(f"{path}: root attribute '{name}' must be a string, got {value!r}")
        return _as_str(value)
    arr = np.asarray(value)
    allowed = "iu" if kind == "int" else "iuf"
    if arr.size != 1 or arr.dtype.kind not in allowed:
        what = "an integer" if kind == "int" else "a number"
        raise ValueError(f"{path}: root attribute '{name}' must be {what} scalar, got {value!r}")
    item = arr.reshape(()).item()
    return int(item) if kind == "int" else float(item)


def _expect_shape(path: Path, name: str, arr: np.ndarray, expected: Tuple[int, ...], why: str) -> None:
    if arr.shape != tuple(expected):
        raise ValueError(f"{path}: dataset '{name}' has shape {arr.shape}, expected {tuple(expected)} ({why})")


def _walk_timeseries(h5: h5py.File) -> List[str]:
    """Observable names: every 2-D dataset under /timeseries except 'replica'."""
    names: List[str] = []

    def visit(name: str, obj) -> None:
        if isinstance(obj, h5py.Dataset) and obj.ndim == 2 and name != "replica":
            names.append(name)

    h5["timeseries"].visititems(visit)
    return sorted(names)


def _walk_averages(h5: h5py.File) -> List[str]:
    """Names of the groups under /averages that hold a 'mean' dataset."""
    names: List[str] = []

    def visit(name: str, obj) -> None:
        if isinstance(obj, h5py.Group) and "mean" in obj and isinstance(obj["mean"], h5py.Dataset):
            names.append(name)

    h5["averages"].visititems(visit)
    return sorted(names)


def load_run(path) -> RunResults:
    """Load and validate a results file written by ``tmorder run``.

    Parameters
    ----------
    path : str or os.PathLike
        HDF5 file (schema ``"tmorder-run"``, version 1; layout at the top of
        this module).

    Returns
    -------
    RunResults
        Every dataset as a numpy array plus the root metadata. Observables are
        discovered by walking ``/timeseries`` (every 2-D dataset except
        ``replica``); averages by walking ``/averages``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not HDF5; its root ``schema`` is missing or not
        ``"tmorder-run"``; its ``schema_version`` is not 1; it lacks a required
        root attribute, group or dataset (including mean / stderr / tau of a
        recorded observable); a numeric dataset has no string ``units`` or
        units other than the contract's; or shapes or indices are
        inconsistent (e.g. a timeseries not (n_s, n_T), ``n_replicas`` not
        n_T, a row of ``/timeseries/replica`` that is not a permutation, a
        snapshot species index outside ``/structure/species_names``). The
        message names the file and the offending attribute or dataset.
    """
    path = checked_hdf5_path(path)

    with h5py.File(path, "r") as h5:
        # --- identity ------------------------------------------------------------
        if "schema" not in h5.attrs:
            raise ValueError(f"{path}: not a tmorder run file: missing root attribute 'schema'")
        schema = _as_str(h5.attrs["schema"])
        if schema != SCHEMA:
            raise ValueError(
                f"{path}: not a tmorder run file: root attribute 'schema' is {schema!r}, expected {SCHEMA!r}"
            )
        if "schema_version" not in h5.attrs:
            raise ValueError(f"{path}: missing root attribute 'schema_version'")
        version = _scalar(h5.attrs["schema_version"], path, "schema_version", "int")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"{path}: root attribute 'schema_version' is {version}; this reader supports "
                f"version {SCHEMA_VERSION}"
            )
        missing_attrs = [a for a in REQUIRED_ROOT_ATTRIBUTES if a not in h5.attrs]
        if missing_attrs:
            raise ValueError(
                f"{path}: missing root attribute(s): {', '.join(repr(a) for a in missing_attrs)}"
            )
        metadata: Dict[str, Any] = {}
        for key, value in h5.attrs.items():
            key = str(key)
            if key in _INT_ATTRS or key == "schema_version":
                metadata[key] = _scalar(value, path, key, "int")
            elif key in _FLOAT_ATTRS:
                metadata[key] = _scalar(value, path, key, "float")
            elif key in _STR_ATTRS or key == "schema":
                metadata[key] = _scalar(value, path, key, "str")
            else:  # attributes beyond the contract: keep them, decoded
                arr = np.asarray(value)
                metadata[key] = (_as_str(value) if _is_string_value(value)
                                 else arr.reshape(()).item() if arr.size == 1 else arr)
        if metadata["ensemble"] not in _ENSEMBLES:
            raise ValueError(
                f"{path}: root attribute 'ensemble' is {metadata['ensemble']!r}, expected one of "
                f"{', '.join(repr(e) for e in _ENSEMBLES)}"
            )

        # --- required datasets -----------------------------------------------------
        absent = [name for name in _REQUIRED_DATASETS if name not in h5]
        if absent:
            raise ValueError(
                f"{path}: not a complete tmorder run file: missing dataset(s) "
                f"{', '.join(repr(a) for a in absent)}"
            )
        units = _collect_units(h5, path)
        data = {name: read_checked(h5, path, name, spec, units, "complete tmorder run file") for name, spec in _REQUIRED_DATASETS.items()}
        for name in ("/input/text", "/model/text"):
            _expect_shape(path, name, data[name], (1,), "one string")

        # --- observables --------------------------------------------------------------
        timeseries: Dict[str, np.ndarray] = {}
        timeseries_units: Dict[str, str] = {}
        for name in _walk_timeseries(h5):
            full = f"/timeseries/{name}"
            timeseries[name] = read_checked(h5, path, full, ("float", 2, _expected_observable_units(name)), units, "complete tmorder run file")
            timeseries_units[name] = units[full]

        averages: Dict[str, Average] = {}
        avg_names = set(_walk_averages(h5)) | set(timeseries) | set(_DERIVED_AVERAGES)
        for name in sorted(avg_names):
            base = f"/averages/{name}"
            if name in timeseries:
                obs_units: Optional[str] = timeseries_units[name]
            elif name == "heat_capacity":
                obs_units = "k_B/site"
            elif name == "energy_per_formula_unit":
                obs_units = "eV/f.u."
            else:  # an average without a timeseries, beyond the contract: units of its mean
                obs_units = units.get(base + "/mean")
            needs_tau = name in timeseries
            parts = ("mean", "stderr", "tau") if needs_tau else ("mean", "stderr")
            absent = [f"{base}/{p}" for p in parts if f"{base}/{p}" not in h5]
            if absent:
                why = f" (observable '/timeseries/{name}' is recorded)" if needs_tau else ""
                raise ValueError(
                    f"{path}: not a complete tmorder run file: missing dataset(s) "
                    f"{', '.join(repr(a) for a in absent)}{why}"
                )
            mean = read_checked(h5, path, base + "/mean", ("float", 1, obs_units), units, "complete tmorder run file")
            stderr = read_checked(h5, path, base + "/stderr", ("float", 1, obs_units), units, "complete tmorder run file")
            tau = None
            if f"{base}/tau" in h5:
                tau = read_checked(h5, path, base + "/tau", ("float", 1, "samples"), units, "complete tmorder run file")
            averages[name] = Average(mean, stderr, tau, str(obs_units))

        # --- optional groups ----------------------------------------------------------
        snap_data = None
        if "snapshots" in h5:
            snap_data = {name: read_checked(h5, path, name, spec, units, "complete tmorder run file") for name, spec in _SNAPSHOT_DATASETS.items()}
        probe = None
        if "exchange_probe" in h5:
            probe_data = {name: read_checked(h5, path, name, spec, units, "complete tmorder run file") for name, spec in _PROBE_DATASETS.items()}
            attrs = h5["exchange_probe"].attrs
            missing_probe = [a for a in _PROBE_ATTRIBUTES if a not in attrs]
            if missing_probe:
                raise ValueError(
                    f"{path}: '/exchange_probe' lacks attribute(s) "
                    f"{', '.join(repr(a) for a in missing_probe)}"
                )
            probe = ExchangeProbeEvents(
                temperature_index=probe_data["/exchange_probe/temperature_index"],
                energy=probe_data["/exchange_probe/energy"],
                species=_as_str(attrs["species"]),
                from_sublattice=_as_str(attrs["from"]),
                to_sublattice=_as_str(attrs["to"]),
            )

    results = RunResults(
        path=path,
        metadata=metadata,
        units=units,
        temperatures=data["/temperatures"],
        ladder_history=data["/ladder/history"],
        sweeps=data["/timeseries/sweep"],
        replica=data["/timeseries/replica"],
        timeseries=timeseries,
        timeseries_units=timeseries_units,
        averages=averages,
        exchange=ExchangeStats(
            pair_acceptance=data["/exchange/pair_acceptance"],
            pair_attempts=data["/exchange/pair_attempts"],
            round_trips=data["/exchange/round_trips"],
            up_fraction=data["/exchange/up_fraction"],
        ),
        timing=Timing(sweep_seconds=data["/timing/sweep_seconds"],
                      exchange_seconds=data["/timing/exchange_seconds"]),
        structure=RunStructure(
            lattice=data["/structure/lattice"],
            positions=data["/structure/positions"],
            species_names=data["/structure/species_names"],
            sublattice=data["/structure/sublattice"],
            sublattice_names=data["/structure/sublattice_names"],
        ),
        snapshots=(Snapshots(sweep=snap_data["/snapshots/sweep"], species=snap_data["/snapshots/species"])
                   if snap_data is not None else None),
        exchange_probe=probe,
        input_text=str(data["/input/text"][0]),
        model_text=str(data["/model/text"][0]),
    )
    _check_consistency(results)
    return results


def _check_consistency(r: RunResults) -> None:
    """Raise ValueError when the arrays of a run are mutually inconsistent."""
    p = r.path
    m = r.metadata
    t = r.temperatures
    n_t = t.shape[0]
    if n_t < 1:
        raise ValueError(f"{p}: dataset '/temperatures' is empty")
    if not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise ValueError(f"{p}: dataset '/temperatures' must hold finite positive temperatures")
    if np.any(np.diff(t) <= 0):
        raise ValueError(f"{p}: dataset '/temperatures' must be strictly ascending, is {t.tolist()}")
    if m["n_replicas"] != n_t:
        raise ValueError(
            f"{p}: root attribute 'n_replicas' is {m['n_replicas']} but dataset '/temperatures' "
            f"has {n_t} entries (one replica per temperature)"
        )
    if r.ladder_history.shape[0] < 1 or r.ladder_history.shape[1] != n_t:
        raise ValueError(
            f"{p}: dataset '/ladder/history' has shape {r.ladder_history.shape}, expected "
            f"(n_updates + 1, {n_t}) (n_T from '/temperatures')"
        )

    n_s = r.sweeps.shape[0]
    _expect_shape(p, "/timeseries/replica", r.replica, (n_s, n_t),
                  "n_s from '/timeseries/sweep', n_T from '/temperatures'")
    if r.replica.size:
        bad = (r.replica < 0) | (r.replica >= n_t)
        if np.any(bad):
            raise ValueError(f"{p}: dataset '/timeseries/replica' has replica index "
                             f"{int(r.replica[bad][0])} outside [0, {n_t})")
        rows_ok = np.all(np.sort(r.replica, axis=1) == np.arange(n_t)[None, :], axis=1)
        if not np.all(rows_ok):
            row = int(np.flatnonzero(~rows_ok)[0])
            raise ValueError(f"{p}: dataset '/timeseries/replica' row {row} is not a permutation of "
                             f"the {n_t} replicas: {r.replica[row].tolist()}")
    for name, arr in r.timeseries.items():
        _expect_shape(p, f"/timeseries/{name}", arr, (n_s, n_t),
                      "n_s from '/timeseries/sweep', n_T from '/temperatures'")
    for name, avg in r.averages.items():
        for part in ("mean", "stderr", "tau"):
            arr = getattr(avg, part)
            if arr is not None:
                _expect_shape(p, f"/averages/{name}/{part}", arr, (n_t,), "n_T from '/temperatures'")

    ex = r.exchange
    n_pairs = max(n_t - 1, 0)
    _expect_shape(p, "/exchange/pair_acceptance", ex.pair_acceptance, (n_pairs,), "n_T - 1 neighbour pairs")
    _expect_shape(p, "/exchange/pair_attempts", ex.pair_attempts, (n_pairs,), "n_T - 1 neighbour pairs")
    _expect_shape(p, "/exchange/round_trips", ex.round_trips, (n_t,), "one per replica")
    _expect_shape(p, "/exchange/up_fraction", ex.up_fraction, (n_t,), "one per temperature")

    n_ranks = m["n_ranks"]
    if n_ranks < 1:
        raise ValueError(f"{p}: root attribute 'n_ranks' is {n_ranks}, expected >= 1")
    _expect_shape(p, "/timing/sweep_seconds", r.timing.sweep_seconds, (n_ranks,), "root attribute 'n_ranks'")
    _expect_shape(p, "/timing/exchange_seconds", r.timing.exchange_seconds, (n_ranks,),
                  "root attribute 'n_ranks'")

    st = r.structure
    _expect_shape(p, "/structure/lattice", st.lattice, (3, 3), "rows = lattice vectors")
    n = st.positions.shape[0]
    _expect_shape(p, "/structure/positions", st.positions, (n, 3), "Cartesian positions")
    _expect_shape(p, "/structure/sublattice", st.sublattice, (n,), "one per site of '/structure/positions'")
    k = st.sublattice_names.shape[0]
    bad = st.sublattice[(st.sublattice < -1) | (st.sublattice >= k)]
    if bad.size:
        raise ValueError(f"{p}: dataset '/structure/sublattice' has index {int(bad[0])} outside [-1, {k}) "
                         f"('/structure/sublattice_names' has {k} entries)")
    if not 0 < m["n_sites"] <= n:
        raise ValueError(f"{p}: root attribute 'n_sites' (active sites) is {m['n_sites']}, expected "
                         f"between 1 and the {n} sites of '/structure/positions'")

    if r.snapshots is not None:
        sn = r.snapshots
        n_snap = sn.sweep.shape[0]
        _expect_shape(p, "/snapshots/species", sn.species, (n_snap, n_t, n),
                      "n_snap from '/snapshots/sweep', n_T from '/temperatures', "
                      "n_sites from '/structure/positions'")
        n_names = st.species_names.shape[0]
        bad = sn.species[(sn.species < 0) | (sn.species >= n_names)]
        if bad.size:
            raise ValueError(f"{p}: dataset '/snapshots/species' has species index {int(bad[0])} outside "
                             f"[0, {n_names}) ('/structure/species_names')")

    if r.exchange_probe is not None:
        pr = r.exchange_probe
        n_ev = pr.temperature_index.shape[0]
        _expect_shape(p, "/exchange_probe/energy", pr.energy, (n_ev,),
                      "one per event of '/exchange_probe/temperature_index'")
        bad = pr.temperature_index[(pr.temperature_index < 0) | (pr.temperature_index >= n_t)]
        if bad.size:
            raise ValueError(f"{p}: dataset '/exchange_probe/temperature_index' has index {int(bad[0])} "
                             f"outside [0, {n_t})")


def _as_results(results_or_path) -> RunResults:
    return results_or_path if isinstance(results_or_path, RunResults) else load_run(results_or_path)


# -------------------------------------------------------------------- analysis
def transition_temperature(results, name: str = "heat_capacity") -> float:
    """Temperature of the maximum of an average, refined by a parabola.

    Takes the temperature index k of the largest finite ``averages[name].mean``
    and fits the parabola through the three points (T[k-1], C[k-1]),
    (T[k], C[k]), (T[k+1], C[k+1]) exactly (non-uniform spacing allowed; the
    fit is in T, not log T). Its vertex is returned; it lies within
    [T[k-1], T[k+1]] because C[k] is the largest of the three (first of
    equal maxima). The refinement is therefore exact when C is a parabola in T
    near the maximum; two equal neighbouring maxima give the point midway.

    No refinement is done, and T[k] is returned, when the maximum is at
    either end of the ladder (then a ``RuntimeWarning`` says the transition
    may lie outside the ladder), when a neighbour is NaN, or when the three
    points are all equal. NaN means are ignored when locating the maximum.

    Parameters
    ----------
    results : RunResults or str or os.PathLike
        Loaded results, or a file to load.
    name : str, optional
        Which average to maximise (default ``"heat_capacity"``).

    Returns
    -------
    float
        Estimated transition temperature in K.

    Raises
    ------
    KeyError
        If the file has no average called ``name``.
    ValueError
        If every mean is NaN.
    """
    r = _as_results(results)
    if name not in r.averages:
        raise KeyError(f"{r.path}: no average '{name}' (have: {', '.join(sorted(r.averages))})")
    t = r.temperatures
    c = r.averages[name].mean
    finite = np.isfinite(c)
    if not np.any(finite):
        raise ValueError(f"{r.path}: '/averages/{name}/mean' has no finite value")
    k = int(np.flatnonzero(finite)[np.argmax(c[finite])])
    if k == 0 or k == t.shape[0] - 1:
        warnings.warn(
            f"{r.path}: maximum of '{name}' is at the {'lowest' if k == 0 else 'highest'} temperature "
            f"({t[k]:g} K); the transition may lie outside the ladder",
            RuntimeWarning, stacklevel=2,
        )
        return float(t[k])
    x0, x1, x2 = (float(v) for v in t[k - 1:k + 2])
    y0, y1, y2 = (float(v) for v in c[k - 1:k + 2])
    if not (math.isfinite(y0) and math.isfinite(y2)):
        return x1
    # Newton form: p(x) = y0 + d1 (x - x0) + a (x - x0)(x - x1); p'(x*) = 0.
    d1 = (y1 - y0) / (x1 - x0)
    d2 = (y2 - y1) / (x2 - x1)
    a = (d2 - d1) / (x2 - x0)
    if not a < 0.0:
        return x1
    vertex = 0.5 * (x0 + x1) - d1 / (2.0 * a)
    return float(min(max(vertex, x0), x2))


def format_run_table(results) -> str:
    """Table of T, <psi> (honeycomb), C and exchange acceptance, one row per temperature.

    The acceptance in row k is that of the pair (k, k + 1), so the last row has
    none. Columns of an observable that was not recorded show ``-``.

    Parameters
    ----------
    results : RunResults or str or os.PathLike

    Returns
    -------
    str
        Header line plus one line per temperature (no trailing newline).
    """
    r = _as_results(results)
    psi = r.averages.get("honeycomb")
    c_mean, c_err = r.heat_capacity
    acc = r.exchange.pair_acceptance
    header = (f"{'T/K':>10}  {'<psi>':>9}  {'+-':>8}  {'C/(k_B/site)':>12}  {'+-':>8}  "
              f"{'acc(k,k+1)':>10}")
    lines = [header]

    def num(value, fmt):
        return "-" if value is None or not np.isfinite(value) else format(value, fmt)

    for k, temp in enumerate(r.temperatures):
        lines.append(
            f"{temp:>10.2f}  "
            f"{num(psi.mean[k] if psi else None, '.4f'):>9}  {num(psi.stderr[k] if psi else None, '.4f'):>8}  "
            f"{num(c_mean[k], '.4f'):>12}  {num(c_err[k], '.4f'):>8}  "
            f"{num(acc[k] if k < acc.shape[0] else None, '.3f'):>10}"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------- structures
def snapshot_structure(results, snapshot_index: int, temperature_index: int,
                       vacancy: Union[str, Sequence[str]] = VACANCY
                       ) -> Tuple[np.ndarray, np.ndarray, List[str]]:
    """Atoms of one snapshot at one temperature, vacancies left out.

    Parameters
    ----------
    results : RunResults or str or os.PathLike
    snapshot_index : int
        Index into ``/snapshots/sweep`` (negative counts from the end).
    temperature_index : int
        Temperature index k (negative counts from the end).
    vacancy : str or sequence of str, optional
        Species name(s) treated as vacancies (default ``"Va"``).

    Returns
    -------
    lattice : numpy.ndarray, shape (3, 3)
        Supercell vectors (rows), Angstrom.
    positions : numpy.ndarray, shape (n_atoms, 3)
        Cartesian positions (Angstrom) of the occupied sites, in site order.
    symbols : list of str
        Species name of each occupied site (from ``/structure/species_names``).

    Raises
    ------
    ValueError
        If the file has no snapshots.
    IndexError
        If an index is out of range.
    """
    r = _as_results(results)
    if r.snapshots is None:
        raise ValueError(f"{r.path}: no snapshots in this run (no '/snapshots' group)")
    n_snap, n_t = r.snapshots.species.shape[:2]
    for label, index, size in (("snapshot_index", snapshot_index, n_snap),
                               ("temperature_index", temperature_index, n_t)):
        if not -size <= int(index) < size:
            raise IndexError(f"{r.path}: {label} {index} out of range for {size} entries")
    vacancies = {vacancy} if isinstance(vacancy, str) else set(vacancy)
    names = r.structure.species_names
    occupation = r.snapshots.species[int(snapshot_index), int(temperature_index)]
    symbols_all = names[occupation]
    keep = ~np.isin(symbols_all, list(vacancies))
    return (r.structure.lattice.copy(), r.structure.positions[keep].copy(),
            [str(s) for s in symbols_all[keep]])


def to_ase_atoms(results, snapshot_index: int = -1, temperature_index: int = 0,
                 symbol_map: Optional[Mapping[str, str]] = None,
                 vacancy: Union[str, Sequence[str]] = VACANCY):
    """A snapshot as an :class:`ase.Atoms` (periodic in all three directions).

    ASE is an optional dependency: it is imported only here, and an
    ``ImportError`` is raised when it is not installed (Debian: python3-ase).

    Parameters
    ----------
    results : RunResults or str or os.PathLike
    snapshot_index : int, optional
        Default: the last snapshot.
    temperature_index : int, optional
        Default: the lowest temperature.
    symbol_map : mapping of str to str, optional
        Renames species that are not chemical symbols (e.g. ``{"X": "Cu"}``);
        names not in it are used as they are.
    vacancy : str or sequence of str, optional
        Species name(s) left out (default ``"Va"``).

    Returns
    -------
    ase.Atoms
    """
    try:
        from ase import Atoms
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_ase_atoms needs the optional dependency ASE (Debian: python3-ase)") from exc
    lattice, positions, symbols = snapshot_structure(results, snapshot_index, temperature_index, vacancy)
    if symbol_map:
        symbols = [symbol_map.get(s, s) for s in symbols]
    try:
        return Atoms(symbols=symbols, positions=positions, cell=lattice, pbc=True)
    except (KeyError, ValueError) as exc:
        raise ValueError(f"species names are not all chemical symbols ({sorted(set(symbols))}); "
                         f"pass symbol_map: {exc}") from exc
