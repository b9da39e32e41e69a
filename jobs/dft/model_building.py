"""Steps shared by the clusters/*/build_model.py scripts: DFT results -> fitted, validated model.

Each step calls the `tmorder` binary or the DFT driver and returns plain numbers parsed from
their output, so a system's build_model.py is the list of its steps and its write-up, and
every figure in a model's validation.md is recomputed from the files (none typed by hand).
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from ase.io import read

from structure_selection import with_cutoffs

DRIVER = Path(__file__).resolve().parent / "tmorder_dft.py"

# Cutoff lists a build scans (pairs; pairs and triplets), with model.toml's own list added.
SCANNED_SPACES = ("[3.2]", "[4.5]", "[5.4]", "[5.7]", "[6.2]", "[3.2, 3.2]", "[6.2, 3.1]")


def start_build(doc, here, species, results="results"):
    """Command line of a clusters/*/build_model.py (--tmorder, --method), then the first steps
    every build shares: collect here/dft/training.extxyz from here/dft/`results`, the DFT cost
    table and the reference energies of `species`. Returns (args, training frames, out dict,
    --reference options)."""
    repo = Path(here).parents[1]
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--tmorder", default=str(repo / "build" / "tmorder"))
    p.add_argument("--method", default="lasso")
    args = p.parse_args()
    dft = Path(here) / "dft"
    train = collect(dft / "structures.extxyz", dft / results, dft / "training.extxyz")
    mu = reference_energies(train, species)
    out = {"method": args.method, "n_training": len(train), "dft_wall_seconds_by_atoms": dft_cost(dft / results),
           "reference_energies_eV_per_atom": mu}
    return args, train, out, reference_options(mu)


def sh(cmd, **kw):
    """Runs a command; on failure stops the build with the command's own message."""
    print("$", " ".join(map(str, cmd)), flush=True)
    out = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.exit(f"failed (exit {out.returncode}): {out.stderr.strip()}")
    return out.stdout


def collect(structures, results, output):
    """Converged single points of `structures` -> `output` extxyz (driver's collect); returns the frames."""
    sh(["/usr/bin/python3", DRIVER, "collect", structures, results, output])
    return read(str(output), index=":") if Path(output).stat().st_size else []


def dft_cost(results):
    """Wall seconds of the converged single points by atom count: count, median, min, max."""
    timing = {}
    for path in sorted(Path(results).glob("*.json")):
        rec = json.loads(path.read_text())
        if rec.get("status") == "converged":
            timing.setdefault(rec["n_atoms"], []).append(rec["wall_seconds"])
    return {str(n): {"count": len(v), "median": float(np.median(v)), "min": float(min(v)), "max": float(max(v))}
            for n, v in sorted(timing.items())}


def reference_energies(frames, species):
    """Per-atom energies mu_s minimising sum_i (E_i - sum_s n_is mu_s - n_O,i mu_O)^2; O's
    count is fixed by the cell size, so its reference is folded into the others (mu_O = 0)."""
    counts = np.array([[a.get_chemical_symbols().count(s) for s in species] for a in frames], dtype=float)
    energies = np.array([a.get_potential_energy() for a in frames])
    present = counts.any(axis=0)
    mu = np.zeros(len(species))
    mu[present] = np.linalg.lstsq(counts[:, present], energies, rcond=None)[0]
    return dict(zip(species, (float(m) for m in mu)))


def reference_options(mu):
    return [x for s, v in mu.items() if v != 0.0 for x in ("--reference", f"{s}={v:.6f}")]


def parse_fit(text):
    """Figures of `tmorder fit` output."""
    out = {}
    for key, pattern, kind in (("train_rmse_meV_per_site", r"train RMSE:\s+([\d.]+)", float),
                               ("cv_rmse_meV_per_site", r"CV RMSE:\s+([\d.]+)", float),
                               ("electrostatic_coefficient", r"electrostatic coefficient \(1/eps_r\): ([-\d.e+]+)", float),
                               ("nonzero_ecis", r"non-zero ECIs: (\d+)", int),
                               ("n_functions", r"non-zero ECIs: \d+ of (\d+)", int)):
        m = re.search(pattern, text)
        out[key] = kind(m.group(1)) if m else None
    return out


def folds(training):
    """10-fold CV, or leave-one-out when there are fewer than 10 structures."""
    return str(min(10, len(read(str(training), index=":"))))


def scan_cluster_spaces(tmorder, model_toml, training, refs, method, spaces=SCANNED_SPACES):
    """LOO and 10-fold CV RMSE of the same fit for each cutoff list (model.toml with only its
    cutoffs changed): the evidence for the cutoffs model.toml uses. A fit tmorder refuses
    (e.g. a fitted Ewald coefficient <= 0) is recorded with tmorder's reason."""
    rows = []
    k = folds(training)
    with tempfile.TemporaryDirectory() as tmp:
        for cut in spaces:
            toml = with_cutoffs(model_toml, cut, tmp)
            row = {"cutoffs": cut}
            for label, cv in (("loo", ["--cv", "loo"]), ("kfold10", ["--cv", "kfold", "--k", k, "--seed", "1"])):
                run = subprocess.run(list(map(str, [tmorder, "fit", toml, training, "-o", Path(tmp) / "m.json", "-f",
                                                    "--method", method, *cv, *refs])), capture_output=True, text=True)
                if run.returncode != 0:
                    row["refused"] = run.stderr.split("error: ")[-1].split(";")[0].split(": ", 1)[-1].strip()
                    break
                fit = parse_fit(run.stdout)
                row[f"cv_{label}_meV_per_site"] = fit["cv_rmse_meV_per_site"]
                row["train_meV_per_site"] = fit["train_rmse_meV_per_site"]
                row["functions"] = fit["n_functions"]
            rows.append(row)
    return rows


def fit(tmorder, model_toml, training, folder, method, refs, hull_axis, repo):
    """`tmorder fit` (Ewald column unpenalised, penalty by 10-fold CV) -> folder/model.json,
    fit.txt, fit-report.h5 and .png; returns the parsed figures."""
    folder = Path(folder)
    text = sh([tmorder, "fit", model_toml, training, "-o", folder / "model.json", "-f", "--method", method,
               "--cv", "kfold", "--k", folds(training), "--seed", "1", "--report", folder / "fit-report.h5",
               "--hull-axis", hull_axis, *refs], cwd=repo)
    print(text)
    (folder / "fit.txt").write_text(text)
    sh(["/usr/bin/python3", Path(repo) / "analysis" / "plot_fit.py", folder / "fit-report.h5", "-o", folder / "fit-report.png"])
    return parse_fit(text)


def neighbour_pairs(atoms, a, b, d=3.063):
    """In-plane nearest-neighbour a-b bonds per cell (each counted once when a == b; images included)."""
    from ase.neighborlist import neighbor_list

    i, j, dist = neighbor_list("ijd", atoms, d + 0.1)
    sym = np.array(atoms.get_chemical_symbols())
    n = int(np.sum((np.abs(dist - d) < 0.1) & (sym[i] == a) & (sym[j] == b)))
    return n // 2 if a == b else n


def honeycomb_ground_state(tmorder, model_json, folder, majority, minority, restrict, fixed, name):
    """Ground state at majority:minority = 2:1 on the TM layer: exhaustive over every supercell
    of up to 9 cells with the species restricted (`restrict`: --species options), written to
    folder/ground-states-NAME.txt and .extxyz; honeycomb = no minority-minority in-plane nearest
    neighbours and 6 majority neighbours per minority ion. Then simulated annealing at 2:1 in a
    6 x 6 in-plane cell (36 TM sites) and a 6 x 6 x 2 cell (72), compared with the exhaustive
    energy. `fixed`: --composition options for the other sublattices."""
    folder = Path(folder)
    gs_file = folder / f"ground-states-{name}.extxyz"
    text = sh([tmorder, "ground-state", model_json, "--max-size", "9", *restrict, "-o", gs_file, "-f"])
    (folder / f"ground-states-{name}.txt").write_text(text)
    frames = read(str(gs_file), index=":")
    label = f"{majority} 2/3 {minority} 1/3"
    target = [a for a in frames if label in a.info["composition"]][0]
    n_min = max(1, target.get_chemical_symbols().count(minority))
    mm = 2 * neighbour_pairs(target, minority, minority) / n_min
    am = neighbour_pairs(target, minority, majority) / n_min
    out = {"cells": int(target.info["size"]), "energy_eV_per_cell": float(target.info["ce_energy_per_cell"]),
           "minority": minority, "majority": majority,
           "minority_minority_nn_per_minority": mm, "majority_minority_nn_per_minority": am,
           "honeycomb": mm == 0 and am == 6}
    out["annealing"] = anneal(tmorder, model_json, restrict, f"TM:{majority}=2/3,{minority}=1/3", fixed,
                              (("6x6 in-plane (36 TM sites)", "6,-6,0,0,6,-6,0,0,1"),
                               ("6x6 x 2 layers (72 TM sites)", "6,-6,0,0,6,-6,0,0,2")), "3", "8000")
    return out


def anneal(tmorder, model_json, restrict, composition, fixed, cells, max_size, t_start):
    """Simulated annealing at `composition` in each (label, supercell matrix) of `cells`,
    compared by tmorder with its exhaustive search to `max_size` cells: {label: tmorder's line}."""
    result = {}
    for label, matrix in cells:
        text = sh([tmorder, "ground-state", model_json, "--max-size", max_size, *restrict, "--anneal", matrix,
                   "--composition", composition, *fixed,
                   "--t-start", t_start, "--t-end", "50", "--stages", "60", "--sweeps", "200", "--seed", "3"])
        line = [ln for ln in text.splitlines() if "annealing - exhaustive" in ln]
        result[label] = line[0].strip() if line else text.splitlines()[-1]
    return result


def in_plane_bonds(atoms, species, d=3.0):
    """In-plane nearest-neighbour bonds between atoms of `species` at distance d (images
    included, each bond in both directions): the symbols and the (i, j, i->j vector) arrays
    that the row analysis below reads."""
    from ase.neighborlist import neighbor_list

    sym = np.array(atoms.get_chemical_symbols())
    i, j, vec = neighbor_list("ijD", atoms, d + 0.2)
    keep = np.isin(sym[i], species) & np.isin(sym[j], species) & (np.abs(np.linalg.norm(vec, axis=1) - d) < 0.2) \
        & (np.abs(vec[:, 2]) < 0.2)
    return sym, i[keep], j[keep], vec[keep]


def row_directions(atoms, species, d=3.0, bonds=None):
    """In-plane nearest-neighbour directions (unit vectors, the three of the triangular TM
    lattice at distance d) along which every atom of `species` has the same species on both
    sides: the TM layer is then made of single-species rows along that direction (a stripe,
    or "queue", ordering). Empty for any arrangement without complete rows. `bonds` is
    in_plane_bonds(atoms, species, d) when the caller already has it."""
    sym, i, j, vec = bonds or in_plane_bonds(atoms, species, d)
    rows = []
    for angle in (0.0, 60.0, 120.0):
        u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle)), 0.0])
        along = np.abs(vec @ u) > 0.95 * d
        if along.any() and np.all(sym[i[along]] == sym[j[along]]):
            rows.append(u)
    return rows


def row_sequence(atoms, species, direction, d=3.0, bonds=None):
    """Species of the rows along `direction`, read across them in one TM layer (the rows of
    a stripe ordering, e.g. Mn Mn Mn Al Al for a 3:2 queue), one period: walks from one atom
    to its in-plane neighbour at 60 degrees from the rows until it returns."""
    sym, i, j, vec = bonds or in_plane_bonds(atoms, species, d)
    u = np.asarray(direction)
    w = np.array([0.5 * u[0] - np.sqrt(3) / 2 * u[1], np.sqrt(3) / 2 * u[0] + 0.5 * u[1], 0.0])
    start = int(np.where(np.isin(sym, species))[0][0])
    seq, k = [], start
    for _ in range(len(atoms)):
        seq.append(str(sym[k]))
        step = np.where((i == k) & (np.linalg.norm(vec - d * w, axis=1) < 0.2))[0]
        k = int(j[step[0]])
        if k == start:
            break
    # the walk returns after the supercell's period across the rows: keep the shortest repeat
    period = next(n for n in range(1, len(seq) + 1) if len(seq) % n == 0 and seq == seq[:n] * (len(seq) // n))
    return seq[:period]


def rows(atoms, species, d=3.0):
    """(row directions, sequence of rows across the first direction) from one neighbour
    list; the sequence is empty when the layer has no complete rows."""
    bonds = in_plane_bonds(atoms, species, d)
    directions = row_directions(atoms, species, d, bonds)
    return directions, (row_sequence(atoms, species, directions[0], d, bonds) if directions else [])


def held_out_distances(tmorder, model_toml, training, held_out):
    """For each held-out frame, the smallest max-norm distance of its correlation vector (the
    fitted model's cutoffs) to any training frame's: > 0 means the fitted model can tell it
    apart from every training structure."""
    from structure_selection import correlations

    with tempfile.TemporaryDirectory() as tmp:
        ct = correlations(tmorder, model_toml, training, tmp, "train")
        ch = correlations(tmorder, model_toml, held_out, tmp, "held")
    return {a.info["config_id"]: float(np.max(np.abs(ct - c), axis=1).min()) for a, c in zip(held_out, ch)}


def model_energies(tmorder, model_json, structures, csv):
    """`tmorder energy` -> csv; returns {config_id: E_total_eV}."""
    sh([tmorder, "energy", model_json, structures, "-o", csv, "-f"])
    rows = [ln.split(",") for ln in Path(csv).read_text().splitlines()]
    head = rows[0]
    return {r[head.index("config_id")]: float(r[head.index("E_total_eV")]) for r in rows[1:]}


def write_validation(folder, out, lines):
    """folder/validation.json (the figures) and folder/validation.md (`lines`, generated from
    them); prints the figures."""
    text = json.dumps(out, indent=1, sort_keys=True)
    (Path(folder) / "validation.json").write_text(text + "\n")
    (Path(folder) / "validation.md").write_text("\n".join(lines) + "\n")
    print(text)


# ---- validation.md sections (generated text; the numbers come from the dicts above) ----

def markdown_fit(out, site="site = TM or Na-layer site; 2 per formula unit"):
    return [
        "## Fit", "",
        f"- training structures: {out['n_training']} (PBE+U single points, dft/training.extxyz)",
        f"- method {out['method']}; train RMSE {out['train_rmse_meV_per_site']} meV/site, k-fold CV RMSE (k = min(10, structures)) "
        f"{out['cv_rmse_meV_per_site']} meV/site ({site})",
        f"- non-zero ECIs {out['nonzero_ecis']} of {out['n_functions']}; "
        + (f"fitted Ewald coefficient (1/eps_r) {out['electrostatic_coefficient']}"
           if out['electrostatic_coefficient'] is not None else "no Ewald term"),
        "- reference energies (eV/atom, least squares over the training set): "
        + ", ".join(f"{k} {v:.4f}" for k, v in out["reference_energies_eV_per_atom"].items()),
        "",
    ]


def markdown_ground_state(gs, restricted):
    mi, ma = gs["minority"], gs["majority"]
    lines = [f"## Ground state at {ma}:{mi} = 2:1, {restricted}", "",
             f"- exhaustive search over every supercell of up to 9 cells: lowest at {gs['cells']} cells, "
             f"{gs['energy_eV_per_cell']:.4f} eV/cell; {mi}-{mi} nearest neighbours per {mi} "
             f"{gs['minority_minority_nn_per_minority']:.2f}, {ma}-{mi} {gs['majority_minority_nn_per_minority']:.2f}: "
             f"**{'honeycomb' if gs['honeycomb'] else 'NOT honeycomb'}**"]
    for label, text in gs["annealing"].items():
        lines.append(f"- simulated annealing, {label}: {text}")
    return lines + [""]


def markdown_scan(out, key="cluster_space_scan", title="Cluster spaces scanned"):
    lines = [f"## {title} ({out['method']}; RMSE meV/site)", "",
             "| cutoffs (A; pairs, triplets) | functions | LOO CV | k-fold CV (k = min(10, structures)) | train |", "|---|---|---|---|---|"]
    for r in out[key]:
        fig = lambda k: f"{r[k]:.1f}" if k in r else "-"  # noqa: E731
        lines.append(f"| {r['cutoffs']} | {r.get('functions', '-')} | {fig('cv_loo_meV_per_site')} | "
                     f"{fig('cv_kfold10_meV_per_site')} | {fig('train_meV_per_site')} |"
                     + (f" refused: {r['refused']}" if "refused" in r else ""))
    return lines + [""]


def markdown_cost(out):
    lines = ["## DFT cost (GPAW single points, one shared core of a 2-core VM, two jobs side by side)", "",
             "| atoms | single points | median wall time (s) | range (s) |", "|---|---|---|---|"]
    for n, v in out["dft_wall_seconds_by_atoms"].items():
        lines.append(f"| {n} | {v['count']} | {v['median']:.0f} | {v['min']:.0f}-{v['max']:.0f} |")
    return lines + [""]
