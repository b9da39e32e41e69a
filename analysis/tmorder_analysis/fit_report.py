"""Read the fit report written by ``tmorder fit ... --report FILE.h5``.

Schema "tmorder-fit", version 1 (docs/hdf5-format.md)::

    /                          attrs: schema, schema_version, method, cv_kind,
                                      train_rmse_mev_per_site, cv_rmse_mev_per_site,
                                      active_sites_per_cell, model_name, training_file, ...
    /structures/names          str (n,)
    /structures/energy_dft     float64 (n,)   "eV/parent_cell"
    /structures/energy_ce      float64 (n,)   "eV/parent_cell"
    /structures/n_cells        int64 (n,)     "parent_cells"
    /structures/composition    float64 (n, m) "1"
    /structures/composition_labels str (m,)   "SUB:SPECIES"
    /structures/correlations   float64 (n, p) "1"
    /hull                      attrs: axis
    /hull/x                    float64 (n,)   "1"
    /hull/formation_energy_dft, formation_energy_ce, distance_dft, distance_ce
                               float64 (n,)   "eV/parent_cell"
    /hull/vertices_dft, vertices_ce, kept, lost, added   int64   "1" (structure indices)
    /ecis/values               float64 (p,)   "eV/parent_cell"
    /ecis/orbit, order         int64 (p,)     "1" (orbit -1: the empty cluster)
    /ecis/multiplicity         int64 (p,)     "clusters per parent cell"
    /ecis/radius               float64 (p,)   "angstrom"
    /cv                        attrs: kind, rmse[, hyperparameter, best_index]
    /cv/grid, /cv/rmse_curve   float64 (optional: only when a hyperparameter was chosen by CV)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

import h5py
import numpy as np

from ._hdf5 import as_str as _as_str
from ._hdf5 import collect_units as _collect_units
from ._hdf5 import read_checked

SCHEMA = "tmorder-fit"
SCHEMA_VERSION = 1
_KIND = "tmorder fit report"
_E = "eV/parent_cell"

_SPEC = {
    "/structures/names": ("str", 1, None),
    "/structures/energy_dft": ("float", 1, _E),
    "/structures/energy_ce": ("float", 1, _E),
    "/structures/composition": ("float", 2, "1"),
    "/structures/composition_labels": ("str", 1, None),
    "/hull/x": ("float", 1, "1"),
    "/hull/formation_energy_dft": ("float", 1, _E),
    "/hull/formation_energy_ce": ("float", 1, _E),
    "/hull/distance_dft": ("float", 1, _E),
    "/hull/distance_ce": ("float", 1, _E),
    "/hull/vertices_dft": ("int", 1, "1"),
    "/hull/vertices_ce": ("int", 1, "1"),
    "/hull/kept": ("int", 1, "1"),
    "/hull/lost": ("int", 1, "1"),
    "/hull/added": ("int", 1, "1"),
    "/ecis/values": ("float", 1, _E),
    "/ecis/order": ("int", 1, "1"),
    "/ecis/orbit": ("int", 1, "1"),
    "/ecis/radius": ("float", 1, "angstrom"),
}


@dataclass
class FitReport:
    """Contents of a ``tmorder fit`` report (energies in eV per parent cell)."""

    path: Path
    method: str
    cv_kind: str
    train_rmse_mev_per_site: float
    cv_rmse_mev_per_site: float
    active_sites_per_cell: int
    model_name: str
    attrs: Dict[str, object]
    names: np.ndarray
    energy_dft: np.ndarray
    energy_ce: np.ndarray
    composition: np.ndarray
    composition_labels: np.ndarray
    hull_axis: str
    hull_x: np.ndarray
    formation_energy_dft: np.ndarray
    formation_energy_ce: np.ndarray
    distance_dft: np.ndarray
    distance_ce: np.ndarray
    vertices_dft: np.ndarray
    vertices_ce: np.ndarray
    kept: np.ndarray
    lost: np.ndarray
    added: np.ndarray
    eci_values: np.ndarray
    eci_order: np.ndarray
    eci_orbit: np.ndarray
    eci_radius: np.ndarray
    cv_grid: Optional[np.ndarray] = None
    cv_curve: Optional[np.ndarray] = None

    @property
    def n_structures(self) -> int:
        return int(self.energy_dft.size)


def _attr(h5, obj: str, name: str, default=None):
    if name not in h5[obj].attrs:
        return default
    v = h5[obj].attrs[name]
    if isinstance(v, (bytes, str)):
        return _as_str(v)
    return v.item() if hasattr(v, "item") else v


def load_fit_report(path) -> FitReport:
    """Read and validate a fit report; raise ValueError naming the file and what is wrong."""
    path = Path(os.fspath(path))
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    try:
        h5 = h5py.File(path, "r")
    except OSError as exc:
        raise ValueError(f"{path}: not an HDF5 file ({exc})") from None
    with h5:
        schema = _attr(h5, "/", "schema")
        if schema != SCHEMA:
            raise ValueError(f"{path}: not a {_KIND}: schema is {schema!r}, expected {SCHEMA!r}")
        version = _attr(h5, "/", "schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"{path}: {_KIND} schema_version {version!r} is not supported (expected {SCHEMA_VERSION})")
        units = _collect_units(h5, path)
        d = {name: read_checked(h5, path, name, spec, units, _KIND) for name, spec in _SPEC.items()}
        n = d["/structures/energy_dft"].size
        for name in ("/structures/energy_ce", "/hull/x", "/hull/distance_dft", "/hull/distance_ce"):
            if d[name].size != n:
                raise ValueError(f"{path}: dataset '{name}' has {d[name].size} entries, expected {n} (one per structure)")
        cv_grid = cv_curve = None
        if "/cv/grid" in h5:
            cv_grid = read_checked(h5, path, "/cv/grid", ("float", 1, "1"), units, _KIND)
            cv_curve = read_checked(h5, path, "/cv/rmse_curve", ("float", 1, _E), units, _KIND)
        attrs = {k: _attr(h5, "/", k) for k in h5["/"].attrs}
        return FitReport(
            path=path,
            method=str(attrs.get("method", "")),
            cv_kind=str(attrs.get("cv_kind", "")),
            train_rmse_mev_per_site=float(attrs.get("train_rmse_mev_per_site", np.nan)),
            cv_rmse_mev_per_site=float(attrs.get("cv_rmse_mev_per_site", np.nan)),
            active_sites_per_cell=int(attrs.get("active_sites_per_cell", 1)),
            model_name=str(attrs.get("model_name", "")),
            attrs=attrs,
            names=d["/structures/names"],
            energy_dft=d["/structures/energy_dft"],
            energy_ce=d["/structures/energy_ce"],
            composition=d["/structures/composition"],
            composition_labels=d["/structures/composition_labels"],
            hull_axis=str(_attr(h5, "/hull", "axis", "")),
            hull_x=d["/hull/x"],
            formation_energy_dft=d["/hull/formation_energy_dft"],
            formation_energy_ce=d["/hull/formation_energy_ce"],
            distance_dft=d["/hull/distance_dft"],
            distance_ce=d["/hull/distance_ce"],
            vertices_dft=d["/hull/vertices_dft"],
            vertices_ce=d["/hull/vertices_ce"],
            kept=d["/hull/kept"],
            lost=d["/hull/lost"],
            added=d["/hull/added"],
            eci_values=d["/ecis/values"],
            eci_order=d["/ecis/order"],
            eci_orbit=d["/ecis/orbit"],
            eci_radius=d["/ecis/radius"],
            cv_grid=cv_grid,
            cv_curve=cv_curve,
        )
