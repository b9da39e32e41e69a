"""Analysis helpers for files written by the tmorder C++ code.

The package is importable with ``PYTHONPATH=analysis`` (relative to the
repository root) and depends only on numpy, h5py and matplotlib.

Modules
-------
cluster_space
    Reading and validating the HDF5 file written by
    ``tmorder info MODEL --output FILE.h5``.
plots
    Matplotlib figures (Agg canvas, no display needed).
"""

from .cluster_space import (
    ClusterSpaceSummary,
    ORDER_NAMES,
    load_cluster_space,
    order_name,
)
from .plots import plot_cluster_space

__all__ = [
    "ClusterSpaceSummary",
    "ORDER_NAMES",
    "load_cluster_space",
    "order_name",
    "plot_cluster_space",
]

__version__ = "0.1.0"
