"""Read the cluster-space HDF5 file written by ``tmorder info``.

The file layout (written by ``tmorder info MODEL --output FILE.h5``) is::

    /                       attrs: tmorder_version, git_commit, created,
                                   command_line, model_name, model_source,
                                   model_sha256, kind = "cluster_space"
    /structure/cell         float64 (3, 3)   units "angstrom" (rows = lattice vectors)
    /structure/positions    float64 (n, 3)   units "1" (fractional)
    /structure/species      str (n,)         reference species per parent site
    /structure/sublattice   int64 (n,)       units "1" (-1 for a fixed site)
    /sublattices/names      str (k,)
    /sublattices/species    str (k,)         comma-joined, e.g. "Ni,Sb,Cu"
    /space_group            attrs: number, international, n_operations
    /cutoffs                float64 (m,)     units "angstrom" (0 = pairs, 1 = triplets, ...)
    /orbits/order           int64 (p,)       units "1"
    /orbits/max_distance    float64 (p,)     units "angstrom"
    /orbits/radius          float64 (p,)     units "angstrom"
    /orbits/multiplicity    int64 (p,)       units "clusters per parent cell"
    /orbits/n_functions     int64 (p,)       units "1"
    /orbits/sublattices     str (p,)         e.g. "TM-TM-Na"
    /correlations/names     str (q,)         optional group
    /correlations/values    float64 (q, 1 + sum(n_functions))  units "1"

Every numeric dataset carries a string attribute ``"units"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import h5py
import numpy as np

from ._hdf5 import as_str as _as_str
from ._hdf5 import checked_hdf5_path
from ._hdf5 import collect_units as _check_units
from ._hdf5 import read_checked

__all__ = [
    "ClusterSpaceSummary",
    "ORDER_NAMES",
    "REQUIRED_ROOT_ATTRIBUTES",
    "load_cluster_space",
    "order_name",
]

#: Plural names of cluster orders, used for legends.
ORDER_NAMES = {
    0: "empty cluster",
    1: "points",
    2: "pairs",
    3: "triplets",
    4: "quadruplets",
    5: "quintuplets",
    6: "sextuplets",
}

#: Root attributes every cluster-space file must carry.
REQUIRED_ROOT_ATTRIBUTES = (
    "tmorder_version",
    "git_commit",
    "created",
    "command_line",
    "model_name",
    "model_source",
    "model_sha256",
    "kind",
)

_KIND = "cluster_space"

# name -> (kind of data: "float" / "int" / "str", ndim, expected units or None)
_REQUIRED_DATASETS = {
    "/structure/cell": ("float", 2, "angstrom"),
    "/structure/positions": ("float", 2, "1"),
    "/structure/species": ("str", 1, None),
    "/structure/sublattice": ("int", 1, "1"),
    "/sublattices/names": ("str", 1, None),
    "/sublattices/species": ("str", 1, None),
    "/cutoffs": ("float", 1, "angstrom"),
    "/orbits/order": ("int", 1, "1"),
    "/orbits/max_distance": ("float", 1, "angstrom"),
    "/orbits/radius": ("float", 1, "angstrom"),
    "/orbits/multiplicity": ("int", 1, "clusters per parent cell"),
    "/orbits/n_functions": ("int", 1, "1"),
    "/orbits/sublattices": ("str", 1, None),
}

_CORRELATION_DATASETS = {
    "/correlations/names": ("str", 1, None),
    "/correlations/values": ("float", 2, "1"),
}

_SPACE_GROUP_ATTRIBUTES = ("number", "international", "n_operations")


def order_name(order: int) -> str:
    """Return the plural name of a cluster order.

    Parameters
    ----------
    order : int
        Number of sites in the cluster.

    Returns
    -------
    str
        ``"pairs"`` for 2, ``"triplets"`` for 3, ... and ``"<order>-body"``
        beyond the tabulated names.
    """
    return ORDER_NAMES.get(int(order), f"{int(order)}-body clusters")


@dataclass
class ClusterSpaceSummary:
    """Contents of a tmorder cluster-space file.

    Attributes
    ----------
    path : pathlib.Path
        File the summary was read from.
    metadata : dict of str to str
        Root attributes (provenance: ``tmorder_version``, ``git_commit``,
        ``created``, ``command_line``, ``model_name``, ``model_source``,
        ``model_sha256``, ``kind``).
    units : dict of str to str
        Units attribute of every numeric dataset, keyed by HDF5 path.
    cell : numpy.ndarray, shape (3, 3)
        Lattice vectors (rows) in Angstrom.
    positions : numpy.ndarray, shape (n, 3)
        Fractional coordinates of the parent sites.
    species : numpy.ndarray of str, shape (n,)
        Reference species per parent site.
    sublattice : numpy.ndarray of int, shape (n,)
        Sublattice index per parent site, -1 for a fixed site.
    sublattice_names : numpy.ndarray of str, shape (k,)
    sublattice_species : numpy.ndarray of str, shape (k,)
        Comma-joined allowed species per sublattice, e.g. ``"Ni,Sb,Cu"``.
    space_group_number : int
    space_group_symbol : str
        International (Hermann-Mauguin) symbol.
    n_operations : int
        Number of symmetry operations.
    cutoffs : numpy.ndarray, shape (m,)
        Cutoffs in Angstrom; index 0 is for pairs, 1 for triplets, ...
    orbit_order : numpy.ndarray of int, shape (p,)
    orbit_max_distance : numpy.ndarray, shape (p,)
        Largest interatomic distance in the representative cluster (Angstrom).
    orbit_radius : numpy.ndarray, shape (p,)
        Cluster radius (Angstrom).
    orbit_multiplicity : numpy.ndarray of int, shape (p,)
        Clusters per parent cell.
    orbit_n_functions : numpy.ndarray of int, shape (p,)
        Number of cluster functions of each orbit.
    orbit_sublattices : numpy.ndarray of str, shape (p,)
        Sublattice names of the cluster sites, e.g. ``"TM-TM-Na"``.
    correlation_names : numpy.ndarray of str or None, shape (q,)
        Names of the example configurations (``None`` without /correlations).
    correlation_values : numpy.ndarray or None, shape (q, n_functions_total)
        Correlation vectors, empty cluster first (``None`` without
        /correlations).
    """

    path: Path
    metadata: Dict[str, str]
    units: Dict[str, str]
    cell: np.ndarray
    positions: np.ndarray
    species: np.ndarray
    sublattice: np.ndarray
    sublattice_names: np.ndarray
    sublattice_species: np.ndarray
    space_group_number: int
    space_group_symbol: str
    n_operations: int
    cutoffs: np.ndarray
    orbit_order: np.ndarray
    orbit_max_distance: np.ndarray
    orbit_radius: np.ndarray
    orbit_multiplicity: np.ndarray
    orbit_n_functions: np.ndarray
    orbit_sublattices: np.ndarray
    correlation_names: Optional[np.ndarray] = None
    correlation_values: Optional[np.ndarray] = field(default=None, repr=False)

    # ------------------------------------------------------------------ sizes
    @property
    def model_name(self) -> str:
        """Name of the model (root attribute ``model_name``)."""
        return self.metadata.get("model_name", "")

    @property
    def n_sites(self) -> int:
        """Number of sites in the parent cell."""
        return int(self.positions.shape[0])

    @property
    def n_orbits(self) -> int:
        """Number of orbits (the empty cluster is not an orbit)."""
        return int(self.orbit_order.shape[0])

    @property
    def n_functions_total(self) -> int:
        """Total number of cluster functions, including the empty cluster."""
        return 1 + int(np.sum(self.orbit_n_functions))

    @property
    def orders(self) -> List[int]:
        """Sorted distinct cluster orders present among the orbits."""
        return sorted(int(o) for o in np.unique(self.orbit_order))

    @property
    def has_correlations(self) -> bool:
        """True when the file holds example correlation vectors."""
        return self.correlation_values is not None

    def allowed_species(self) -> Dict[str, List[str]]:
        """Allowed species per sublattice.

        Returns
        -------
        dict of str to list of str
            Sublattice name -> species split from the comma-joined list.
        """
        return {
            str(name): [s.strip() for s in str(spec).split(",") if s.strip()]
            for name, spec in zip(self.sublattice_names, self.sublattice_species)
        }

    def cutoff(self, order: int) -> Optional[float]:
        """Cutoff (Angstrom) for clusters of the given order.

        Parameters
        ----------
        order : int
            Cluster order (2 = pairs, 3 = triplets, ...).

        Returns
        -------
        float or None
            ``cutoffs[order - 2]``, or ``None`` when the order has no cutoff.
        """
        index = int(order) - 2
        if 0 <= index < self.cutoffs.shape[0]:
            return float(self.cutoffs[index])
        return None

    # -------------------------------------------------------------- helpers
    def functions_by_order(self) -> Dict[int, int]:
        """Number of cluster functions per cluster order.

        The empty cluster (one function) is not included; the total number
        of functions is ``1 + sum(functions_by_order().values())``.

        Returns
        -------
        dict of int to int
            Order -> number of cluster functions, sorted by order.
        """
        return {
            order: int(np.sum(self.orbit_n_functions[self.orbit_order == order]))
            for order in self.orders
        }

    def orbits_by_order(self) -> Dict[int, int]:
        """Number of orbits per cluster order.

        Returns
        -------
        dict of int to int
            Order -> number of orbits, sorted by order.
        """
        return {
            order: int(np.count_nonzero(self.orbit_order == order))
            for order in self.orders
        }

    def cumulative_functions(self, order: int) -> Tuple[np.ndarray, np.ndarray]:
        """Cumulative number of cluster functions versus cluster size.

        Parameters
        ----------
        order : int
            Cluster order (2 = pairs, 3 = triplets, ...).

        Returns
        -------
        distances : numpy.ndarray of float
            ``max_distance`` (Angstrom) of the orbits of that order, sorted
            ascending (stable, so ties keep file order).
        counts : numpy.ndarray of int
            Number of functions of that order with ``max_distance`` up to and
            including the corresponding distance; the last entry is
            ``functions_by_order()[order]``. Both arrays are empty when no
            orbit has that order.
        """
        mask = self.orbit_order == int(order)
        distances = self.orbit_max_distance[mask]
        n_functions = self.orbit_n_functions[mask]
        perm = np.argsort(distances, kind="stable")
        return distances[perm].astype(float), np.cumsum(n_functions[perm]).astype(np.int64)

    def function_orders(self) -> np.ndarray:
        """Cluster order of every cluster function, in correlation-vector order.

        Assumes the correlation vector lists the empty cluster first and then
        the functions orbit by orbit, in the order the orbits are stored.

        Returns
        -------
        numpy.ndarray of int, shape (n_functions_total,)
            0 for the empty cluster, then the order of each function.
        """
        return np.concatenate(
            [np.zeros(1, dtype=np.int64), np.repeat(self.orbit_order, self.orbit_n_functions)]
        ).astype(np.int64)


# ---------------------------------------------------------------------- reading
def _as_int(value, path: Path, where: str) -> int:
    arr = np.asarray(value)
    if arr.size != 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"{path}: {where} must be an integer scalar, got {value!r}")
    return int(arr.reshape(()))


def load_cluster_space(path) -> ClusterSpaceSummary:
    """Load and validate a cluster-space file written by ``tmorder info``.

    Parameters
    ----------
    path : str or os.PathLike
        HDF5 file written by ``tmorder info MODEL --output FILE.h5``.

    Returns
    -------
    ClusterSpaceSummary
        All datasets as numpy arrays plus the root metadata.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not HDF5, is not a tmorder cluster-space file (root
        attribute ``kind`` missing or not ``"cluster_space"``), lacks a
        required attribute, group or dataset, has a numeric dataset without a
        ``units`` attribute, or has inconsistent shapes. The message names the
        file and the offending item.
    """
    path = checked_hdf5_path(path)

    with h5py.File(path, "r") as h5:
        # --- identity and provenance -------------------------------------
        if "kind" not in h5.attrs:
            raise ValueError(
                f"{path}: not a tmorder cluster-space file: missing root attribute 'kind'"
            )
        kind = _as_str(h5.attrs["kind"])
        if kind != _KIND:
            raise ValueError(
                f"{path}: not a tmorder cluster-space file: root attribute 'kind' is "
                f"{kind!r}, expected {_KIND!r}"
            )
        missing_attrs = [a for a in REQUIRED_ROOT_ATTRIBUTES if a not in h5.attrs]
        if missing_attrs:
            raise ValueError(
                f"{path}: missing root attribute(s): {', '.join(repr(a) for a in missing_attrs)}"
            )
        metadata = {str(k): _as_str(v) for k, v in h5.attrs.items()}

        # --- required datasets (checked before units so the message names them)
        absent = [name for name in _REQUIRED_DATASETS if name not in h5]
        if absent:
            raise ValueError(
                f"{path}: not a tmorder cluster-space file: missing dataset(s) "
                f"{', '.join(repr(a) for a in absent)}"
            )
        units = _check_units(h5, path)
        data = {name: read_checked(h5, path, name, spec, units, "tmorder cluster-space file")
                for name, spec in _REQUIRED_DATASETS.items()}

        # --- space group ---------------------------------------------------
        if "space_group" not in h5:
            raise ValueError(f"{path}: not a tmorder cluster-space file: missing group '/space_group'")
        sg_attrs = h5["space_group"].attrs
        missing_sg = [a for a in _SPACE_GROUP_ATTRIBUTES if a not in sg_attrs]
        if missing_sg:
            raise ValueError(
                f"{path}: '/space_group' lacks attribute(s) {', '.join(repr(a) for a in missing_sg)}"
            )
        sg_number = _as_int(sg_attrs["number"], path, "'/space_group' attribute 'number'")
        sg_symbol = _as_str(sg_attrs["international"])
        n_ops = _as_int(sg_attrs["n_operations"], path, "'/space_group' attribute 'n_operations'")

        # --- optional correlations -----------------------------------------
        corr_names = corr_values = None
        if "correlations" in h5:
            corr = {name: read_checked(h5, path, name, spec, units, "tmorder cluster-space file")
                    for name, spec in _CORRELATION_DATASETS.items()}
            corr_names = corr["/correlations/names"]
            corr_values = corr["/correlations/values"]

    summary = ClusterSpaceSummary(
        path=path,
        metadata=metadata,
        units=units,
        cell=data["/structure/cell"],
        positions=data["/structure/positions"],
        species=data["/structure/species"],
        sublattice=data["/structure/sublattice"],
        sublattice_names=data["/sublattices/names"],
        sublattice_species=data["/sublattices/species"],
        space_group_number=sg_number,
        space_group_symbol=sg_symbol,
        n_operations=n_ops,
        cutoffs=data["/cutoffs"],
        orbit_order=data["/orbits/order"],
        orbit_max_distance=data["/orbits/max_distance"],
        orbit_radius=data["/orbits/radius"],
        orbit_multiplicity=data["/orbits/multiplicity"],
        orbit_n_functions=data["/orbits/n_functions"],
        orbit_sublattices=data["/orbits/sublattices"],
        correlation_names=corr_names,
        correlation_values=corr_values,
    )
    _check_shapes(summary)
    return summary


def _check_shapes(s: ClusterSpaceSummary) -> None:
    """Raise ValueError when the arrays of a summary are mutually inconsistent."""
    p = s.path
    if s.cell.shape != (3, 3):
        raise ValueError(f"{p}: '/structure/cell' must have shape (3, 3), has {s.cell.shape}")
    n = s.positions.shape[0]
    if s.positions.shape != (n, 3):
        raise ValueError(f"{p}: '/structure/positions' must have shape (n, 3), has {s.positions.shape}")
    for name, arr in (("/structure/species", s.species), ("/structure/sublattice", s.sublattice)):
        if arr.shape != (n,):
            raise ValueError(f"{p}: '{name}' has shape {arr.shape}, expected ({n},) like '/structure/positions'")
    k = s.sublattice_names.shape[0]
    if s.sublattice_species.shape != (k,):
        raise ValueError(
            f"{p}: '/sublattices/species' has shape {s.sublattice_species.shape}, "
            f"expected ({k},) like '/sublattices/names'"
        )
    bad = s.sublattice[(s.sublattice < -1) | (s.sublattice >= k)]
    if bad.size:
        raise ValueError(f"{p}: '/structure/sublattice' has index {int(bad[0])} outside [-1, {k})")
    n_orbits = s.orbit_order.shape[0]
    for name in ("max_distance", "radius", "multiplicity", "n_functions", "sublattices"):
        arr = getattr(s, "orbit_" + name)
        if arr.shape != (n_orbits,):
            raise ValueError(
                f"{p}: '/orbits/{name}' has shape {arr.shape}, expected ({n_orbits},) like '/orbits/order'"
            )
    if np.any(s.orbit_n_functions < 0):
        raise ValueError(f"{p}: '/orbits/n_functions' has negative entries")
    if s.correlation_values is not None:
        q = s.correlation_names.shape[0]
        expected = (q, s.n_functions_total)
        if s.correlation_values.shape != expected:
            raise ValueError(
                f"{p}: '/correlations/values' has shape {s.correlation_values.shape}, expected "
                f"{expected} (names x (1 + sum of '/orbits/n_functions'))"
            )
