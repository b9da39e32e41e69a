"""Figures for tmorder analysis files.

Figures are drawn on a :class:`matplotlib.figure.Figure` attached to an Agg
canvas directly, so nothing here touches pyplot, a display or the global
matplotlib backend.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .cluster_space import ClusterSpaceSummary, order_name

__all__ = ["plot_cluster_space"]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def _order_style(order: int):
    """Colour and marker for a cluster order (same in every panel)."""
    colour = f"C{(int(order) - 1) % 10}"
    marker = _MARKERS[(int(order) - 1) % len(_MARKERS)]
    return colour, marker


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _plot_cumulative(ax, summary: ClusterSpaceSummary) -> None:
    """Panel (a): cumulative number of functions versus cluster size, per order."""
    orders = [o for o in summary.orders if o >= 2]
    x_max = 0.0
    for order in orders:
        colour, _ = _order_style(order)
        distances, counts = summary.cumulative_functions(order)
        cutoff = summary.cutoff(order)
        # Staircase from (0, 0), stepping up at each orbit's size, flat to the cutoff.
        x = np.concatenate([[0.0], distances])
        y = np.concatenate([[0], counts])
        end = max(float(distances[-1]), cutoff if cutoff is not None else 0.0)
        x = np.append(x, end)
        y = np.append(y, counts[-1])
        ax.step(x, y, where="post", color=colour, lw=1.8, label=order_name(order))
        x_max = max(x_max, end)
    for index, cutoff in enumerate(summary.cutoffs):
        order = index + 2
        colour, _ = _order_style(order)
        ax.axvline(float(cutoff), color=colour, ls="--", lw=1.0, alpha=0.8,
                   label=f"{order_name(order)} cutoff")
        x_max = max(x_max, float(cutoff))
    if not orders:
        ax.text(0.5, 0.5, "no clusters beyond points", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_xlim(0.0, 1.05 * x_max if x_max > 0 else 1.0)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(r"cluster size (max. distance) / $\mathrm{\AA}$")
    ax.set_ylabel("cumulative number of cluster functions")
    ax.set_title("(a) cluster functions vs. cluster size", loc="left", fontsize="medium")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


def _plot_multiplicity(ax, summary: ClusterSpaceSummary) -> None:
    """Panel (b): orbit multiplicity versus cluster size, one marker per order."""
    for order in summary.orders:
        colour, marker = _order_style(order)
        mask = summary.orbit_order == order
        ax.plot(summary.orbit_max_distance[mask], summary.orbit_multiplicity[mask],
                ls="none", marker=marker, color=colour, ms=7, alpha=0.85,
                label=f"{order_name(order)} ({_plural(int(np.count_nonzero(mask)), 'orbit')})")
    ax.set_xlabel(r"cluster size (max. distance) / $\mathrm{\AA}$")
    ax.set_ylabel("multiplicity / clusters per parent cell")
    ax.set_title("(b) orbit multiplicity", loc="left", fontsize="medium")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if summary.n_orbits:
        ax.legend(fontsize="small")


def _plot_correlations(ax, summary: ClusterSpaceSummary) -> None:
    """Panel (c): correlation vector of each named configuration."""
    values = summary.correlation_values
    n_total = values.shape[1]
    index = np.arange(n_total)
    # Shade the function ranges belonging to each order (legend entries, no overlapping text).
    function_orders = summary.function_orders()
    for order in np.unique(function_orders):
        positions = np.flatnonzero(function_orders == order)
        colour = _order_style(order)[0] if order > 0 else "0.5"
        ax.axvspan(positions.min() - 0.5, positions.max() + 0.5, color=colour, alpha=0.10, lw=0,
                   label=order_name(order))
    # Configuration lines use colours (C4...) and dash patterns distinct from the order colours.
    line_styles = ("-", "--", "-.", ":")
    for i, (name, row) in enumerate(zip(summary.correlation_names, values)):
        ax.step(index, row, where="mid", lw=1.4, color=f"C{4 + i % 6}",
                ls=line_styles[(i // 6) % len(line_styles)], label=str(name))
    ax.axhline(0.0, color="0.4", lw=0.6)
    ax.set_xlim(-0.5, n_total - 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("cluster function index (0 = empty cluster)")
    ax.set_ylabel("correlation / 1")
    ax.set_title("(c) example correlation vectors", loc="left", fontsize="medium")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", ncol=2)


def plot_cluster_space(summary: ClusterSpaceSummary, out_path, dpi: int = 150) -> Path:
    """Write a PNG overview of a cluster space.

    Panels: (a) cumulative number of cluster functions versus cluster size
    (max. distance, Angstrom) per order, cutoffs as dashed vertical lines;
    (b) orbit multiplicity versus cluster size, one marker per order; and,
    when the file holds example configurations, (c) their correlation vectors
    versus function index.

    Parameters
    ----------
    summary : ClusterSpaceSummary
        As returned by :func:`~tmorder_analysis.cluster_space.load_cluster_space`.
    out_path : str or os.PathLike
        PNG file to write; its parent directory must exist.
    dpi : int, optional
        Resolution of the PNG (default 150).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    out_path = Path(os.fspath(out_path))
    n_panels = 3 if summary.has_correlations else 2
    fig = Figure(figsize=(6.0 * n_panels, 5.0), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, n_panels)
    _plot_cumulative(axes[0], summary)
    _plot_multiplicity(axes[1], summary)
    if summary.has_correlations:
        _plot_correlations(axes[2], summary)
    title = summary.model_name or summary.path.stem
    fig.suptitle(
        f"{title} — space group {summary.space_group_symbol} (No. {summary.space_group_number}) — "
        f"{summary.n_functions_total} cluster functions "
        f"({_plural(summary.n_orbits, 'orbit')} + empty cluster)"
    )
    fig.savefig(out_path, dpi=dpi, format="png")
    return out_path
