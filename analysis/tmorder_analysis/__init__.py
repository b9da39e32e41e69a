"""Analysis helpers for files written by the tmorder C++ code.

The package is importable with ``PYTHONPATH=analysis`` (relative to the
repository root) and depends only on numpy, h5py and matplotlib (ASE is
optional, used only by :func:`to_ase_atoms`).

Modules
-------
cluster_space
    Reading and validating the HDF5 file written by
    ``tmorder info MODEL --output FILE.h5``.
run_results
    Reading and validating the results file written by ``tmorder run``
    (schema "tmorder-run", version 1); transition temperature; snapshot
    structures.
fit_report
    Reading and validating the report written by ``tmorder fit --report``
    (schema "tmorder-fit", version 1).
plots
    Matplotlib figures (Agg canvas, no display needed).
"""

from .cluster_space import (
    ClusterSpaceSummary,
    ORDER_NAMES,
    load_cluster_space,
    order_name,
)
from .run_results import (
    Average,
    ExchangeProbeEvents,
    ExchangeStats,
    RunResults,
    RunStructure,
    Snapshots,
    Timing,
    format_run_table,
    load_run,
    snapshot_structure,
    to_ase_atoms,
    transition_temperature,
)
from .fit_report import FitReport, load_fit_report
from .plots import plot_cluster_space, plot_fit_report, plot_run, run_figure_text

__all__ = [
    "Average",
    "ClusterSpaceSummary",
    "ExchangeProbeEvents",
    "ExchangeStats",
    "FitReport",
    "ORDER_NAMES",
    "RunResults",
    "RunStructure",
    "Snapshots",
    "Timing",
    "format_run_table",
    "load_cluster_space",
    "load_fit_report",
    "load_run",
    "order_name",
    "plot_cluster_space",
    "plot_fit_report",
    "plot_run",
    "run_figure_text",
    "snapshot_structure",
    "to_ase_atoms",
    "transition_temperature",
]

__version__ = "0.1.0"
