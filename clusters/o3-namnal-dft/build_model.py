"""Fits and validates the O3 Mn/Al model from the DFT results in dft/ (issue 6).

    /usr/bin/python3 clusters/o3-namnal-dft/build_model.py [--tmorder build/tmorder]

Steps (jobs/dft/model_building.py; every number is recomputed from the files):
 1. dft/training.extxyz: converged single points at the ideal O3 sites (dft/results-unrelaxed;
    driver's collect, dft/training-excluded.txt lists what is left out and why).
 2. Reference energies per atom (eV, least squares of the DFT totals on the atom counts).
 3. Cluster spaces: the same fit for each cutoff list of a scan (LOO and k-fold CV), the
    evidence for model.toml's cutoffs; then `tmorder fit` (no Ewald term: Mn3+ and Al3+ carry
    the same charge), LASSO with the penalty by k-fold CV -> model.json, fit.txt,
    fit-report.h5/.png.
 4. The DFT data directly: at each Al fraction the cells ranked by energy, row order or not.
    Ground state at Mn:Al = 3:2: exhaustive over every supercell of up to 10 cells and
    simulated annealing in 25- and 100-site in-plane cells; "queue" (row) order or not is
    decided from the structure: complete single-species rows along an in-plane
    nearest-neighbour direction, and their sequence across the rows.
 5. Relaxation (dft/results: positions and cell relaxed, Pulay stress corrected): for each
    relaxed cell the energy it gains over the ideal sites, and for O3 NaMnO2 the cooperative
    Jahn-Teller distortion (in-plane Mn-Mn distances, layer spacing, Mn-O bonds) against the
    experimental O'3 cell. This is the evidence for what the unrelaxed model can and cannot
    represent (README.md).
Writes validation.json and validation.md; README.md discusses them.
"""
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "jobs" / "dft"))
import model_building as mb  # noqa: E402

# O'3 NaMnO2, C2/m: a = 5.663, b = 2.860, c = 5.807 A, beta = 113.2 deg (model.toml). In the
# TM layer each Mn has 2 neighbours at b and 4 at sqrt((a/2)^2 + (b/2)^2); the layer spacing
# is c sin(beta).
EXP_A, EXP_B, EXP_C, EXP_BETA = 5.663, 2.860, 5.807, 113.2
EXP_MNMN_SHORT = EXP_B
EXP_MNMN_LONG = float(np.hypot(EXP_A / 2, EXP_B / 2))
EXP_SPACING = EXP_C * float(np.sin(np.radians(EXP_BETA)))


def n_tm(atoms):
    sym = atoms.get_chemical_symbols()
    return sym.count("Mn") + sym.count("Al")


def al_fraction(atoms):
    return atoms.get_chemical_symbols().count("Al") / n_tm(atoms)


def jahn_teller(atoms):
    """In-plane Mn-Mn distances (the 6 nearest, sorted), the TM layer spacing and the Mn-O
    bond lengths (6 nearest O, sorted) of a relaxed cell with one Mn per TM layer site."""
    from ase.neighborlist import neighbor_list

    sym = np.array(atoms.get_chemical_symbols())
    i, j, d, vec = neighbor_list("ijdD", atoms, 3.6)
    mn = int(np.where(sym == "Mn")[0][0])
    mnmn = np.sort(d[(i == mn) & (sym[j] == "Mn")])[:6]
    mno = np.sort(d[(i == mn) & (sym[j] == "O")])[:6]
    # layer spacing: volume per TM over the in-plane area per TM (from the Mn-Mn triangle)
    tm_vectors = vec[(i == mn) & np.isin(sym[j], ["Mn", "Al"])]
    area = float(np.linalg.norm(np.cross(*_in_plane_pair(tm_vectors))))
    spacing = atoms.get_volume() / n_tm(atoms) / area
    return {"mn_mn_angstrom": mnmn.round(3).tolist(), "mn_o_angstrom": mno.round(3).tolist(),
            "layer_spacing_angstrom": round(float(spacing), 3),
            "short_over_long_mn_mn": round(float(mnmn[0] / np.mean(mnmn[2:])), 3)}


def mn_o_elongation(atoms):
    """For each Mn of a cell: its two longest Mn-O bonds over the mean of the four shortest
    (1 for a regular octahedron; ~1.19 in the relaxed NaMnO2 here): whether the Jahn-Teller
    elongation survives among Al neighbours."""
    from ase.neighborlist import neighbor_list

    sym = np.array(atoms.get_chemical_symbols())
    i, j, d = neighbor_list("ijd", atoms, 3.0)
    out = []
    for mn in np.where(sym == "Mn")[0]:
        bonds = np.sort(d[(i == mn) & (sym[j] == "O")])[:6]
        out.append(round(float(bonds[4:].mean() / bonds[:4].mean()), 3))
    return out


def _in_plane_pair(tm_vectors):
    """Of one atom's TM-neighbour vectors, the shortest and the one of the next five closest
    to 60 degrees from it: two nearest-neighbour vectors spanning a triangle of its layer."""
    v = tm_vectors[np.argsort(np.linalg.norm(tm_vectors, axis=1))][:6]
    first = v[0]
    cosines = [abs(first @ w) / np.linalg.norm(first) / np.linalg.norm(w) for w in v[1:]]
    second = v[1:][int(np.argmin(np.abs(np.array(cosines) - 0.5)))]
    return first, second


def relaxation_report(train):
    """Relaxed cells in dft/results (driver's collect -> dft/relaxed.extxyz): the energy gained
    by relaxing (per TM), the Jahn-Teller geometry of NaMnO2."""
    dft = HERE / "dft"
    relaxed = mb.collect(dft / "structures.extxyz", dft / "results", dft / "relaxed.extxyz")
    ideal = {a.info["config_id"]: a.get_potential_energy() for a in train}
    rows = []
    for a in relaxed:
        cid = a.info["config_id"]
        sym = a.get_chemical_symbols()
        row = {"cell": cid, "formula": a.get_chemical_formula(), "geometry": a.info["dft_geometry"],
               "relaxed_eV": a.get_potential_energy()}
        if cid in ideal:
            row["gain_meV_per_tm"] = round(1000 * (a.get_potential_energy() - ideal[cid]) / n_tm(a), 1)
        if sym.count("Mn") == n_tm(a) == 1:
            row["jahn_teller"] = jahn_teller(a)
        if "Mn" in sym:
            row["mn_o_long_over_short"] = mn_o_elongation(a)
        rows.append(row)
    return rows


def relaxed_orderings(train, relaxed):
    """Does relaxation reorder the arrangements? At each Al fraction strictly between 0 and 1
    with at least two relaxed cells: each of them above the lowest of them (meV/TM), at the
    ideal sites and relaxed. With both end members relaxed, also the mixing energy per TM
    against NaMnO2 and NaAlO2 of the same kind (ideal against ideal, relaxed against relaxed,
    each end member at its own lattice): the sign says whether Mn/Al mixing is favoured at all."""
    atoms = {a.info["config_id"]: a for a in train}
    ideal = {cid: a.get_potential_energy() / n_tm(a) for cid, a in atoms.items()}
    x_of = {cid: al_fraction(a) for cid, a in atoms.items()}
    relaxed_per_tm = {r["cell"]: r["relaxed_eV"] / n_tm(atoms[r["cell"]]) for r in relaxed if r["cell"] in atoms}
    ends = {}
    for cid, x in x_of.items():
        if x in (0.0, 1.0) and cid in relaxed_per_tm:
            ends[x] = (ideal[cid], relaxed_per_tm[cid])
    by_x = {}
    for cid, er in relaxed_per_tm.items():
        x = x_of[cid]
        if 0.0 < x < 1.0:
            by_x.setdefault(f"{x:.3f}", []).append((cid, x, ideal[cid], er))
    out = {}
    for key, cells in sorted(by_x.items()):
        if len(cells) < 2:
            continue
        low_i, low_r = min(c[2] for c in cells), min(c[3] for c in cells)
        out[key] = []
        for cid, x, ei, er in sorted(cells, key=lambda t: t[3]):
            row = {"cell": cid, "ideal_above_lowest_meV_per_tm": round(1000 * (ei - low_i), 1),
                   "relaxed_above_lowest_meV_per_tm": round(1000 * (er - low_r), 1)}
            if len(ends) == 2:
                for i, (kind, e) in enumerate((("ideal", ei), ("relaxed", er))):
                    row[f"{kind}_mixing_meV_per_tm"] = round(1000 * (e - (1 - x) * ends[0.0][i] - x * ends[1.0][i]), 1)
            out[key].append(row)
    return out


def dft_orderings(train):
    """The DFT data without the model: at each Al fraction strictly between 0 and 1, every
    training cell's energy per TM above the lowest one (meV), with its row order (sequence
    across the rows) or none."""
    by_x = {}
    for a in train:
        x = al_fraction(a)
        if 0.0 < x < 1.0:
            by_x.setdefault(f"{x:.3f}", []).append((a.get_potential_energy() / n_tm(a), a))
    out = {}
    for x, cells in sorted(by_x.items()):
        lowest = min(e for e, _ in cells)
        out[x] = []
        for e, a in sorted(cells, key=lambda t: t[0]):
            _, sequence = mb.rows(a, ("Mn", "Al"))
            out[x].append({"cell": a.info["config_id"], "above_lowest_meV_per_tm": round(1000 * (e - lowest), 1),
                           "row_sequence": " ".join(sequence)})
    return out


def split_extxyz(text):
    """The frames of an extended XYZ text, each as its own text (count line, comment line,
    atoms), so frames can be filtered without rewriting tmorder's output."""
    lines, frames, k = text.splitlines(keepends=True), [], 0
    while k < len(lines):
        n = int(lines[k])
        frames.append("".join(lines[k:k + n + 2]))
        k += n + 2
    return frames


def canonical_rows(sequence):
    """A row sequence up to where the walk across the rows starts and which way it goes (the
    lexicographically smallest rotation of it or of its reverse), so that one ordering
    written from different cells compares equal."""
    both = [sequence, sequence[::-1]]
    return min(q[k:] + q[:k] for q in both for k in range(len(q)))


def is_3to2(atoms):
    """Mn:Al = 3:2 on the TM layer, from the atoms themselves (not from how the composition
    is written in the frame's comment line)."""
    sym = atoms.get_chemical_symbols()
    return 5 * sym.count("Al") == 2 * (sym.count("Mn") + sym.count("Al"))


def ground_state_levels(tmorder, model_json):
    """`tmorder ground-state --all-degenerate` up to 10 cells: (printed table, [(frame text,
    Atoms)] of every structure of the lowest level at every composition)."""
    from ase.io import read

    with tempfile.TemporaryDirectory() as tmp:
        every = Path(tmp) / "all.extxyz"
        text = mb.sh([tmorder, "ground-state", model_json, "--max-size", "10", "--all-degenerate", "-o", every])
        frames = split_extxyz(every.read_text())
        atoms = read(str(every), index=":")
    return text, list(zip(frames, atoms))


def rows_summary(level):
    """Rows or not for the structures of one (3:2) level; level[0] is the printed one."""
    target = level[0]
    directions, sequence = mb.rows(target, ("Mn", "Al"))
    sequences = [mb.rows(a, ("Mn", "Al"))[1] for a in level]
    return {"cells": int(target.info["size"]), "energy_eV_per_cell": float(target.info["ce_energy_per_cell"]),
            "degenerate_structures": len(level),
            "al_al_nn_per_al": 2 * mb.neighbour_pairs(target, "Al", "Al", d=3.0) / target.get_chemical_symbols().count("Al"),
            "rows": bool(directions), "row_sequence": sequence,
            "degenerate_with_rows": sum(1 for q in sequences if q),
            "degenerate_row_sequences": sorted({" ".join(canonical_rows(q)) for q in sequences if q}),
            "degenerate_sizes": sorted({int(a.info["size"]) for a in level})}


def height_above_tie_line(points, x):
    """How far (same units as the energies) the point at composition x lies above the lower
    convex hull of the other points [(composition, energy per site)], and the two
    compositions of the hull facet below it. A positive height means the composition x is
    unstable against coexisting domains of those two; linear terms in the energy (reference
    energies) cancel, so raw model energies per site will do."""
    e_x = next(e for c, e in points if abs(c - x) < 1e-9)
    others = [(c, e) for c, e in points if abs(c - x) > 1e-9]
    best = None
    for c1, e1 in others:
        for c2, e2 in others:
            if c1 < x < c2:
                e_line = e1 + (e2 - e1) * (x - c1) / (c2 - c1)
                if best is None or e_line < best[0]:
                    best = (e_line, c1, c2)
    return e_x - best[0], best[1], best[2]


def queue_ground_state(tmorder, model_json):
    """Ground state at Mn:Al = 3:2: exhaustive (up to 10 cells), then annealing; rows or not."""
    # Every structure of the lowest level is written: a model without an interlayer term
    # cannot tell stackings apart, so the 3:2 level can hold several, and each is checked for
    # rows, not only the first.
    # Kept: one frame per composition, and the whole 3:2 level in its own file.
    text, levels = ground_state_levels(tmorder, model_json)
    (HERE / "ground-states-mnal.txt").write_text(text)
    (HERE / "ground-states-mnal.extxyz").write_text("".join(f for f, a in levels if a.info["degenerate_index"] == 0))
    level = [(f, a) for f, a in levels if is_3to2(a)]
    level.sort(key=lambda fa: fa[1].info["degenerate_index"])  # index 0 (the printed one) first
    (HERE / "ground-states-mnal-3to2-degenerate.extxyz").write_text("".join(f for f, _ in level))
    out = rows_summary([a for _, a in level])
    # Is 3:2 a stable ordered composition of the model at all, or above the tie line of its
    # neighbours (then it orders as coexisting domains, not as a superstructure)? Energies are
    # per parent cell, i.e. per TM site.
    lowest = [(al_fraction(a), a.info["ce_energy_per_cell"])
              for _, a in levels if a.info["degenerate_index"] == 0]
    height, c1, c2 = height_above_tie_line(lowest, 0.4)
    out["above_tie_line_meV_per_site"] = round(1000 * height, 2)
    out["tie_line_al_fractions"] = [round(c1, 4), round(c2, 4)]
    out["annealing"] = mb.anneal(tmorder, model_json, [], "TM:Mn=3/5,Al=2/5", [],
                                 (("5x5 in-plane (25 TM sites)", "5,-5,0,0,5,-5,0,0,1"),
                                  ("10x10 in-plane (100 TM sites)", "10,-10,0,0,10,-10,0,0,1")), "10", "4000")
    return out


def ground_state_by_space(tmorder, scan, training, refs, method):
    """How far the 3:2 answer (rows or not) depends on the cluster space: for every space of the
    scan that tmorder could fit, the same fit as the shipped model's (penalty by k-fold CV) and
    the same exhaustive 3:2 search, plus which of the DFT 3:2 cells that model puts lowest."""
    from ase.io import read

    dft_32 = [a for a in read(str(training), index=":") if is_3to2(a)]
    result = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in scan:
            if "refused" in row:
                continue
            toml = mb.with_cutoffs(HERE / "model.toml", row["cutoffs"], tmp)
            model = Path(tmp) / "m.json"
            mb.sh([tmorder, "fit", toml, training, "-o", model, "-f", "--method", method,
                   "--cv", "kfold", "--k", mb.folds(training), "--seed", "1", *refs])
            _, levels = ground_state_levels(tmorder, model)
            gs = rows_summary(sorted((a for _, a in levels if is_3to2(a)), key=lambda a: a.info["degenerate_index"]))
            predicted = mb.model_energies(tmorder, model, training, Path(tmp) / "e.csv")
            ranked = sorted(dft_32, key=lambda a: predicted[a.info["config_id"]])
            result.append({"cutoffs": row["cutoffs"], "cv_loo_meV_per_site": row["cv_loo_meV_per_site"],
                           "cv_kfold10_meV_per_site": row["cv_kfold10_meV_per_site"],
                           "rows": gs["rows"], "row_sequence": gs["row_sequence"], "cells": gs["cells"],
                           "degenerate_structures": gs["degenerate_structures"],
                           "degenerate_with_rows": gs["degenerate_with_rows"],
                           "lowest_dft_3to2_cell_by_model": ranked[0].info["config_id"]})
    return result


def markdown(out):
    lines = ["# O3-NaMnAl-PBEU: fit and validation (generated by build_model.py; do not edit)", ""]
    lines += mb.markdown_fit(out, "site = TM site, one per formula unit; Na and O are fixed")
    gs = out["ground_state_3to2"]
    lines += ["## Ground state at Mn:Al = 3:2", "",
              f"- exhaustive search over every supercell of up to 10 cells: lowest at {gs['cells']} cells, "
              f"{gs['energy_eV_per_cell']:.4f} eV/cell ({gs['degenerate_structures']} symmetry-distinct structures at this energy; "
              f"the one printed first:) Al-Al nearest neighbours per Al {gs['al_al_nn_per_al']:.2f}; "
              + (f"**row (queue) order**, rows {' '.join(gs['row_sequence'])}" if gs["rows"] else "**no row (queue) order**"),
              f"- all {gs['degenerate_structures']} degenerate structures (cells of {', '.join(map(str, gs['degenerate_sizes']))} "
              f"parent cells): {gs['degenerate_with_rows']} made of complete rows; row sequences up to origin and direction: "
              + ("; ".join(gs["degenerate_row_sequences"]) or "none")]
    lines.append(f"- against the model's lowest structures at every other composition (up to 10 cells): 3:2 lies "
                 f"{gs['above_tie_line_meV_per_site']:.2f} meV/site "
                 + ("above" if gs["above_tie_line_meV_per_site"] > 0 else "below")
                 + f" the tie line between Al fractions {gs['tie_line_al_fractions'][0]:.4f} and "
                 f"{gs['tie_line_al_fractions'][1]:.4f}"
                 + (" (unstable against coexisting domains of those two)" if gs["above_tie_line_meV_per_site"] > 0 else
                    " (on the hull: a stable ordered composition)"))
    for label, text in gs["annealing"].items():
        lines.append(f"- simulated annealing, {label}: {text}")
    dft_lowest = out["dft_orderings"]["0.400"][0]["cell"]
    lines += ["", "### The 3:2 answer in every cluster space of the scan", "",
              "The same fit (penalty by k-fold CV) and the same exhaustive search for each cutoff list "
              f"tmorder could fit; the last column is the DFT 3:2 cell that model puts lowest (DFT: {dft_lowest}).", "",
              "| cutoffs | LOO CV | k-fold CV | ground state (cells) | degenerate, of them rows | rows across | lowest DFT 3:2 cell by model |",
              "|---|---|---|---|---|---|---|"]
    for r in out["ground_state_3to2_by_space"]:
        lines.append(f"| {r['cutoffs']} | {r['cv_loo_meV_per_site']:.1f} | {r['cv_kfold10_meV_per_site']:.1f} | "
                     f"{'rows' if r['rows'] else 'no rows'} ({r['cells']}) | {r['degenerate_structures']}, "
                     f"{r['degenerate_with_rows']} | {' '.join(r['row_sequence']) or '-'} | {r['lowest_dft_3to2_cell_by_model']} |")
    lines += ["", "## The DFT data directly: energy per TM above the lowest cell of the same Al fraction", "",
              "| Al fraction | cell | above lowest (meV/TM) | rows (sequence across them) |", "|---|---|---|---|"]
    for x, rows in out["dft_orderings"].items():
        for r in rows:
            lines.append(f"| {x} | {r['cell']} | {r['above_lowest_meV_per_tm']:.1f} | {r['row_sequence'] or 'none'} |")
    lines += ["", "## Relaxation (positions and cell, Pulay stress corrected) against the ideal O3 sites", "",
              f"Experiment, O'3 NaMnO2 (C2/m): in-plane Mn-Mn {EXP_MNMN_SHORT:.3f} A (x2) and {EXP_MNMN_LONG:.3f} A (x4), "
              f"ratio {EXP_MNMN_SHORT / EXP_MNMN_LONG:.3f}; layer spacing {EXP_SPACING:.3f} A.", "",
              "| cell | formula | relaxation gain (meV/TM) | Mn-Mn in plane (A) | short/long | layer spacing (A) | Mn-O (A) | "
              "Mn-O long/short, each Mn |",
              "|---|---|---|---|---|---|---|---|"]
    for r in out["relaxed"]:
        jt = r.get("jahn_teller")
        cols = [jt and " ".join(f"{x:.2f}" for x in jt["mn_mn_angstrom"]), jt and f"{jt['short_over_long_mn_mn']:.3f}",
                jt and f"{jt['layer_spacing_angstrom']:.2f}", jt and " ".join(f"{x:.2f}" for x in jt["mn_o_angstrom"]),
                " ".join(f"{x:.3f}" for x in r.get("mn_o_long_over_short", []))]
        lines.append(f"| {r['cell']} | {r['formula']} | {r.get('gain_meV_per_tm', '-')} | "
                     + " | ".join(c or "-" for c in cols) + " |")
    lines += ["", "### Ordering energies at the ideal sites and relaxed (cells relaxed at the same Al fraction)", ""]
    if out["relaxed_orderings"]:
        lines += ["Mixing energy: per TM against NaMnO2 and NaAlO2 of the same kind (ideal sites against ideal sites, "
                  "relaxed against relaxed, each end member at its own lattice); positive means the two end members "
                  "are lower than the mixed cell.", "",
                  "| Al fraction | cell | ideal, above lowest (meV/TM) | relaxed, above lowest (meV/TM) | "
                  "mixing energy, ideal (meV/TM) | mixing energy, relaxed (meV/TM) |", "|---|---|---|---|---|---|"]
        for x, rows in out["relaxed_orderings"].items():
            lines += [f"| {x} | {r['cell']} | {r['ideal_above_lowest_meV_per_tm']:.1f} | {r['relaxed_above_lowest_meV_per_tm']:.1f} | "
                      f"{r.get('ideal_mixing_meV_per_tm', '-')} | {r.get('relaxed_mixing_meV_per_tm', '-')} |" for r in rows]
    else:
        lines.append("No Al fraction has two relaxed cells yet (dft/run_all.sh, stage 2).")
    lines += [""]
    lines += mb.markdown_scan(out)
    return lines + mb.markdown_cost(out)


def main():
    args, train, out, refs = mb.start_build(__doc__, HERE, ("Na", "Mn", "Al"), results="results-unrelaxed")
    T, dft = args.tmorder, HERE / "dft"
    out["cluster_space_scan"] = mb.scan_cluster_spaces(T, HERE / "model.toml", dft / "training.extxyz", refs, args.method)
    out.update(mb.fit(T, HERE / "model.toml", dft / "training.extxyz", HERE, args.method, refs, "TM:Al", REPO))
    out["dft_orderings"] = dft_orderings(train)
    out["ground_state_3to2"] = queue_ground_state(T, HERE / "model.json")
    out["ground_state_3to2_by_space"] = ground_state_by_space(T, out["cluster_space_scan"], dft / "training.extxyz",
                                                              refs, args.method)
    mb.model_energies(T, HERE / "model.json", dft / "training.extxyz", HERE / "training-energies.csv")
    out["relaxed"] = relaxation_report(train)
    out["relaxed_orderings"] = relaxed_orderings(train, out["relaxed"])
    mb.write_validation(HERE, out, markdown(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
