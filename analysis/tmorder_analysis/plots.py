"""Figures for tmorder analysis files.

- :func:`plot_cluster_space`: overview of a cluster space (``tmorder info``).
- :func:`plot_run`: thermodynamics and replica exchange of a run (``tmorder run``).

Figures are drawn on a :class:`matplotlib.figure.Figure` attached to an Agg
canvas directly, so nothing here touches pyplot, a display or the global
matplotlib backend.
"""

from __future__ import annotations

import math
import os
import textwrap
import warnings
from pathlib import Path
from typing import Tuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FormatStrFormatter, MaxNLocator, NullFormatter

from .cluster_space import ClusterSpaceSummary, order_name
from .run_results import RunResults, load_run, transition_temperature

__all__ = ["plot_cluster_space", "plot_fit_report", "plot_run", "run_figure_text"]

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


# ============================================================================ runs
def _ladder_is_geometric(t: np.ndarray) -> bool:
    """True when the ladder is closer to constant ratios than to constant steps
    and spans at least a factor 2 (worth a log axis)."""
    if t.size < 3 or t[0] <= 0 or t[-1] / t[0] < 2.0:
        return False
    steps = np.diff(t)
    log_steps = np.diff(np.log(t))
    return float(np.std(log_steps) / np.mean(log_steps)) < float(np.std(steps) / np.mean(steps))


def _log_ticks(t_min: float, t_max: float) -> list:
    """Round temperatures (1, 1.5, 2, 3, ... x 10^n) within [t_min, t_max], at most ~8."""
    lo, hi = int(math.floor(math.log10(t_min))), int(math.ceil(math.log10(t_max)))
    for mantissas in ((1, 1.5, 2, 3, 4, 5, 6, 8), (1, 2, 3, 5), (1, 2, 5), (1,)):
        ticks = [m * 10.0 ** e for e in range(lo, hi + 1) for m in mantissas
                 if t_min <= m * 10.0 ** e <= t_max]
        if len(ticks) <= 8:
            break
    return ticks


def _temperature_axis(ax, t: np.ndarray, log_scale: bool) -> None:
    """Common temperature axis: log scale with round ticks for a geometric ladder."""
    pad = 0.04
    if log_scale:
        ax.set_xscale("log")
        lo, hi = np.log(t[0]), np.log(t[-1])
        ax.set_xlim(math.exp(lo - pad * (hi - lo)), math.exp(hi + pad * (hi - lo)))
        ticks = _log_ticks(float(t[0]), float(t[-1]))
        if len(ticks) >= 2:
            ax.xaxis.set_major_locator(FixedLocator(ticks))
            ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("temperature / K (log scale)")
    else:
        span = float(t[-1] - t[0]) or max(float(t[0]), 1.0)
        ax.set_xlim(float(t[0]) - pad * span, float(t[-1]) + pad * span)
        ax.set_xlabel("temperature / K")
    ax.grid(alpha=0.3, which="major")


def _errorbar(ax, t, avg, colour, label=None):
    ax.errorbar(t, avg.mean, yerr=avg.stderr, fmt="o-", color=colour, ms=4, lw=1.2,
                capsize=3, elinewidth=1.0, label=label)


def _mark_tc(ax, t_c, label=False, at_end=False):
    if t_c is None:
        return
    if at_end:
        text = rf"max. of $C$ at the ladder end ({t_c:.0f} K): $T_c$ may lie outside"
    else:
        text = rf"$T_c \approx {t_c:.0f}$ K (max. of $C$, parabolic refinement)"
    ax.axvline(t_c, color="C3", ls="--", lw=1.0, alpha=0.8, label=text if label else None)


def fit_provenance_text(model_text: str) -> str:
    """One line on where a fitted model's energies came from, from the model file's
    ``provenance.fit`` (written by ``tmorder fit``): structures, method, CV RMSE and the
    DFT settings its training frames carried. Empty for a model that was not fitted (or
    text that is not a JSON model file)."""
    import json

    try:
        fit = json.loads(model_text)["provenance"]["fit"]
    except (ValueError, KeyError, TypeError):
        return ""
    if not isinstance(fit, dict):
        return ""
    text = f"fitted to {fit.get('n_structures', '?')} structures ({Path(str(fit.get('training_file', '?'))).name}), {fit.get('method', '?')}"
    cv = fit.get("cv_rmse_mev_per_site")
    if cv is not None:
        text += f", CV RMSE {cv:.1f} meV/site"
    dft = fit.get("training_provenance") or {}
    parts = [dft.get(k) for k in ("dft_code", "dft_xc") if isinstance(dft.get(k), str)]
    if isinstance(dft.get("dft_hubbard_u"), str):
        parts.append(f"U {dft['dft_hubbard_u']} eV")
    if isinstance(dft.get("dft_ecut_eV"), str):
        parts.append(f"{dft['dft_ecut_eV']} eV cutoff")
    if isinstance(dft.get("dft_geometry"), str):
        parts.append(dft["dft_geometry"])
    if parts:
        text += "; DFT: " + ", ".join(parts)
    return text


def _plot_exchange_probe(ax_e, ax_f, probe, t, t_c, log_scale) -> None:
    """(e) exchange energies of the final configurations versus T: mean, standard deviation
    and the min-max range of the events at each temperature; (f) their distributions at the
    lowest and highest temperature."""
    what = f"{probe.species}: {probe.from_sublattice} $\\to$ {probe.to_sublattice}"
    mean, sd, lo, hi = (np.full(len(t), np.nan) for _ in range(4))
    for k in range(len(t)):
        e = probe.energies_at(k)
        if e.size:
            mean[k], sd[k], lo[k], hi[k] = e.mean(), e.std(), e.min(), e.max()
    ax_e.fill_between(t, lo, hi, color="C5", alpha=0.2, label="min-max of the events")
    ax_e.errorbar(t, mean, yerr=sd, fmt="o-", color="C5", ms=4, capsize=2, label="mean $\\pm$ std. dev.")
    _mark_tc(ax_e, t_c)
    _temperature_axis(ax_e, t, log_scale)
    ax_e.set_ylabel("exchange energy / (eV)")
    ax_e.set_title(f"(e) exchange probe ({what}) in the final configurations", loc="left", fontsize="medium")
    ax_e.legend(fontsize="small")
    for k, colour in ((0, "C0"), (len(t) - 1, "C3")):
        e = probe.energies_at(k)
        if e.size:
            ax_f.hist(e, bins=30, color=colour, alpha=0.5, label=f"T = {t[k]:.0f} K ({e.size} events)")
    ax_f.set_xlabel("exchange energy / (eV)")
    ax_f.set_ylabel("events")
    ax_f.set_title("(f) exchange-energy distribution, lowest and highest T", loc="left", fontsize="medium")
    ax_f.legend(fontsize="small")


def run_figure_text(results: RunResults, width: int = 120) -> Tuple[str, str]:
    """Title and caption of :func:`plot_run`, carrying the run's provenance.

    Parameters
    ----------
    results : RunResults
    width : int, optional
        Wrap width (characters) of the energy-model description.

    Returns
    -------
    title : str
        Model name, ensemble, ladder and sample counts, then the
        ``energy_model`` string (wrapped) and, for a fitted model, where its
        energies came from (:func:`fit_provenance_text`).
    caption : str
        Model and input file SHA-256 (first 12 hex digits), tmorder version and
        git commit, MPI ranks, seed and finishing time.
    """
    m = results.metadata
    first = (f"{results.model_name or results.path.stem} — {m.get('ensemble', '?')} replica exchange, "
             f"{results.n_temperatures} temperatures, {m.get('n_sites', '?')} active sites, "
             f"{results.n_samples} samples")
    energy = textwrap.fill(f"energy model: {results.energy_model or '?'}", width=width)
    fitted = fit_provenance_text(results.model_text)
    if fitted:
        energy += "\n" + textwrap.fill(fitted, width=width)
    caption = (f"{results.provenance()} | {m.get('n_ranks', '?')} MPI ranks, seed {m.get('seed', '?')}, "
               f"restarts {m.get('restarts', '?')}, finished {m.get('finished_utc', '?')}")
    return f"{first}\n{energy}", caption


def plot_run(results_or_path, out_png, dpi: int = 150) -> Path:
    """Write a PNG summary of a ``tmorder run`` results file.

    Panels: (a) honeycomb order parameter <psi> versus T with standard errors
    (the energy per site when ``honeycomb`` was not recorded); (b) heat
    capacity per active site (k_B) versus T with standard errors and the
    transition temperature of :func:`~tmorder_analysis.run_results.transition_temperature`
    marked (dashed line, also in (a), (c) and (d); the legend says when the
    maximum is at an end of the ladder); (c) energy per site versus T;
    (d) replica-exchange acceptance of each neighbour pair (k, k + 1) versus
    the pair's mean temperature (T_k + T_k+1) / 2, never-attempted pairs
    marked with crosses at zero; with an exchange probe, (e) the exchange
    energies of the final configurations versus T (mean, standard deviation,
    min-max band) and (f) their distributions at the lowest and highest T. The T axis is logarithmic when the ladder is
    geometric-like and spans at least a factor 2. The title names the model
    and the energy model, the caption the model/input hashes and the tmorder
    version (see :func:`run_figure_text`).

    Parameters
    ----------
    results_or_path : RunResults or str or os.PathLike
        Loaded results, or a results file to load with :func:`load_run`.
    out_png : str or os.PathLike
        PNG file to write; its parent directory must exist.
    dpi : int, optional
        Resolution of the PNG (default 150).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    r = results_or_path if isinstance(results_or_path, RunResults) else load_run(results_or_path)
    out_png = Path(os.fspath(out_png))
    t = r.temperatures
    log_scale = _ladder_is_geometric(t)
    t_c, at_end = None, False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)  # peak at an end: marked, said in the legend
        try:
            t_c = transition_temperature(r)
        except ValueError:  # no finite heat capacity
            t_c = None
        at_end = any(issubclass(w.category, RuntimeWarning) for w in caught)

    probe = r.exchange_probe
    if probe is not None and probe.energy.size:
        fig = Figure(figsize=(13.0, 14.5), layout="constrained")
        FigureCanvasAgg(fig)
        (ax_a, ax_b), (ax_c, ax_d), (ax_e, ax_f) = fig.subplots(3, 2)
    else:
        fig = Figure(figsize=(13.0, 10.0), layout="constrained")
        FigureCanvasAgg(fig)
        (ax_a, ax_b), (ax_c, ax_d) = fig.subplots(2, 2)
        ax_e = ax_f = None
    energy = r.averages["energy"]
    energy_label = f"energy per site / ({energy.units})"

    # (a) order parameter
    if "honeycomb" in r.averages:
        _errorbar(ax_a, t, r.averages["honeycomb"], "C0", label=r"$\langle\psi\rangle$")
        ax_a.set_ylabel(r"honeycomb order parameter $\langle\psi\rangle$ / 1")
        ax_a.set_title(r"(a) honeycomb ($\sqrt{3}\times\sqrt{3}$) order parameter", loc="left",
                       fontsize="medium")
        ax_a.set_ylim(bottom=min(0.0, float(np.nanmin(r.averages["honeycomb"].mean))))
    else:
        _errorbar(ax_a, t, energy, "C2")
        ax_a.set_ylabel(energy_label)
        ax_a.set_title("(a) energy per site (no honeycomb order parameter recorded)", loc="left",
                       fontsize="medium")
    _mark_tc(ax_a, t_c)

    # (b) heat capacity
    c = r.averages["heat_capacity"]
    _errorbar(ax_b, t, c, "C1", label=r"$C$ (fluctuations)")
    _mark_tc(ax_b, t_c, label=True, at_end=at_end)
    ax_b.set_ylabel(f"heat capacity per site / ({c.units})".replace("k_B/site", r"$k_B$ per site"))
    ax_b.set_title("(b) heat capacity", loc="left", fontsize="medium")
    ax_b.set_ylim(bottom=0.0)
    ax_b.legend(fontsize="small")

    # (c) energy
    _errorbar(ax_c, t, energy, "C2")
    _mark_tc(ax_c, t_c)
    ax_c.set_ylabel(energy_label)
    ax_c.set_title("(c) energy per site", loc="left", fontsize="medium")

    # (d) exchange acceptance
    acc = r.exchange.pair_acceptance
    if acc.size:
        t_pair = r.pair_temperatures
        ok = np.isfinite(acc)
        # NaN (never attempted) breaks the line there.
        ax_d.plot(t_pair, acc, "s-", color="C4", ms=5, lw=1.2, label="accepted / attempted")
        if np.any(~ok):
            ax_d.plot(t_pair[~ok], np.zeros(int(np.count_nonzero(~ok))), "x", color="C3", ms=8,
                      mew=2, ls="none", label="never attempted")
        ax_d.legend(fontsize="small")
    else:
        ax_d.text(0.5, 0.5, "single temperature: no exchanges", ha="center", va="center",
                  transform=ax_d.transAxes)
    _mark_tc(ax_d, t_c)
    ax_d.set_ylim(-0.03, 1.03)
    ax_d.set_ylabel("exchange acceptance / 1")
    ax_d.set_title(r"(d) exchange acceptance of neighbour pairs vs. $(T_k + T_{k+1})/2$", loc="left",
                   fontsize="medium")

    for ax in (ax_a, ax_b, ax_c, ax_d):
        _temperature_axis(ax, t, log_scale)

    if ax_e is not None:
        _plot_exchange_probe(ax_e, ax_f, probe, t, t_c, log_scale)

    title, caption = run_figure_text(r)
    fig.suptitle(title, fontsize="medium")
    fig.supxlabel(caption, fontsize="small", color="0.3")
    fig.savefig(out_png, dpi=dpi, format="png")
    return out_png


# ============================================================================ fits


def plot_fit_report(report_or_path, out_png, dpi: int = 150) -> Path:
    """Write a PNG summary of a ``tmorder fit`` report.

    Panels: (a) parity plot, CE versus DFT energy (meV per active site); (b) ECIs versus
    cluster radius, coloured by cluster order (empty cluster left out); (c) DFT and CE
    convex hulls along the report's composition axis (formation energy relative to the
    end members, meV per active site), DFT ground states lost by the CE circled in red.

    Parameters
    ----------
    report_or_path : FitReport or str or os.PathLike
        As returned by :func:`~tmorder_analysis.fit_report.load_fit_report`, or its file.
    out_png : str or os.PathLike
        PNG file to write; its parent directory must exist.
    dpi : int, optional
        Resolution of the PNG (default 150).
    """
    from .fit_report import FitReport, load_fit_report

    rep = report_or_path if isinstance(report_or_path, FitReport) else load_fit_report(report_or_path)
    out_png = Path(os.fspath(out_png))
    to_mev = 1000.0 / max(1, rep.active_sites_per_cell)
    fig = Figure(figsize=(17.0, 5.0), layout="constrained")
    FigureCanvasAgg(fig)
    ax_par, ax_eci, ax_hull = fig.subplots(1, 3)

    e_dft = rep.energy_dft * to_mev
    e_ce = rep.energy_ce * to_mev
    ax_par.scatter(e_dft, e_ce, s=18, color="C0")
    lo = float(min(e_dft.min(), e_ce.min()))
    hi = float(max(e_dft.max(), e_ce.max()))
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    ax_par.plot([lo - pad, hi + pad], [lo - pad, hi + pad], "k--", lw=0.8)
    ax_par.set_xlabel("DFT energy (meV/site)")
    ax_par.set_ylabel("CE energy (meV/site)")
    cv = rep.cv_rmse_mev_per_site
    cv_text = "none" if not np.isfinite(cv) else f"{cv:.2f}"
    ax_par.set_title(f"(a) parity: train RMSE {rep.train_rmse_mev_per_site:.2f}, CV RMSE {cv_text} meV/site")

    mask = rep.eci_order >= 1
    for order in sorted(set(int(o) for o in rep.eci_order[mask])):
        sel = rep.eci_order == order
        colour, marker = _order_style(order)
        ax_eci.scatter(rep.eci_radius[sel], rep.eci_values[sel] * 1000.0, marker=marker, color=colour,
                       label=order_name(order), s=30)
    ax_eci.axhline(0.0, color="k", lw=0.6)
    ax_eci.set_xlabel("cluster radius (Å)")
    ax_eci.set_ylabel("ECI (meV per parent cell)")
    ax_eci.set_title(f"(b) ECIs ({rep.method})")
    if mask.any():
        ax_eci.legend(loc="best", fontsize="small")

    x = rep.hull_x
    f_dft = rep.formation_energy_dft * to_mev
    f_ce = rep.formation_energy_ce * to_mev
    ax_hull.scatter(x, f_dft, s=16, color="C0", label="DFT")
    ax_hull.scatter(x, f_ce, s=16, marker="x", color="C1", label="CE")
    for verts, energy, colour, label in ((rep.vertices_dft, f_dft, "C0", "DFT hull"),
                                         (rep.vertices_ce, f_ce, "C1", "CE hull")):
        if verts.size:
            order = np.argsort(x[verts], kind="stable")
            v = verts[order]
            ax_hull.plot(x[v], energy[v], "-", color=colour, lw=1.2, label=label)
    if rep.lost.size:
        ax_hull.scatter(x[rep.lost], f_dft[rep.lost], s=90, facecolors="none", edgecolors="red",
                        label="lost ground states")
    ax_hull.set_xlabel(f"x ({rep.hull_axis})")
    ax_hull.set_ylabel("formation energy (meV/site)")
    ax_hull.set_title(f"(c) hull: {rep.kept.size} kept, {rep.lost.size} lost, {rep.added.size} added")
    ax_hull.legend(loc="best", fontsize="small")

    fig.suptitle(f"{rep.model_name or rep.path.stem} — {rep.n_structures} structures, {rep.method} fit")
    fig.savefig(out_png, dpi=dpi, format="png")
    return out_png
