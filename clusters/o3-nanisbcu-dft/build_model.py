"""Fits and validates the O3 Ni/Sb/Cu model from the DFT results in dft/ (issue 6).

    /usr/bin/python3 clusters/o3-nanisbcu-dft/build_model.py [--tmorder build/tmorder]

Steps (every number below is recomputed from the files; nothing is typed in by hand):
 1. dft/training.extxyz, dft/validation-dft.extxyz: converged single points with provenance
    (jobs/dft/tmorder_dft.py collect; dft/*-excluded.txt list what is left out and why).
 2. Reference energies per atom (eV): least squares of the DFT total energies on the atom
    counts, so the cluster expansion fits mixing energies, not the composition trend. They
    are passed to `tmorder fit --reference` and recorded in the model's provenance.
 3. `tmorder fit` with the Ewald term fitted (unpenalised) plus short-range clusters, LASSO
    with the penalty chosen by 10-fold CV -> model.json, fit-report.h5, fit-report.png.
 4. Ground state at Ni:Sb = 2:1 with the Na layer full: exhaustive over every supercell of up
    to 9 cells (Ni/Sb only) and simulated annealing in a 36-site in-plane cell (6 x 6) and a
    72-site two-layer cell; honeycomb or not is decided from the structure (no Sb-Sb nearest
    neighbours in the TM layer).
 5. Cu exchange energetics on the validation cells (not in the training set): DFT versus
    model, E(Cu in the Na layer, Na on its TM site) - E(host).
Writes validation.json and prints a summary; README.md discusses it.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
from ase.io import read

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DRIVER = REPO / "jobs" / "dft" / "tmorder_dft.py"


def sh(cmd, **kw):
    print("$", " ".join(map(str, cmd)), flush=True)
    out = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, **kw)
    if out.returncode != 0:
        sys.exit(f"failed (exit {out.returncode}): {out.stderr.strip()}")
    return out.stdout


def reference_energies(frames, species=("Na", "Ni", "Sb", "Cu")):
    """Per-atom energies mu_s minimising sum_i (E_i - sum_s n_is mu_s - n_O,i mu_O)^2; O's
    count is fixed by the cell size, so its reference is folded into the others (mu_O = 0)."""
    counts = np.array([[a.get_chemical_symbols().count(s) for s in species] for a in frames], dtype=float)
    energies = np.array([a.get_potential_energy() for a in frames])
    present = counts.any(axis=0)
    mu = np.zeros(len(species))
    mu[present] = np.linalg.lstsq(counts[:, present], energies, rcond=None)[0]
    return dict(zip(species, mu))


def honeycomb_check(atoms):
    """(Sb-Sb, Ni-Sb) in-plane nearest-neighbour counts per Sb (3.06 A, images included)."""
    from ase.neighborlist import neighbor_list

    i, j, d = neighbor_list("ijd", atoms, 3.2)
    sym = np.array(atoms.get_chemical_symbols())
    nn = np.abs(d - 3.063) < 0.1
    sb = sym[i] == "Sb"
    n_sb = max(1, int(np.sum(sym == "Sb")))
    return int(np.sum(nn & sb & (sym[j] == "Sb"))) / n_sb, int(np.sum(nn & sb & (sym[j] == "Ni"))) / n_sb


SCANNED_SPACES = ("[3.2]", "[4.5]", "[5.4]", "[5.7]", "[6.2]", "[3.2, 3.2]", "[6.2, 3.1]")


def scan_cluster_spaces(tmorder, training, refs, method):
    """LOO and 10-fold CV RMSE of the same fit for each cutoff list in SCANNED_SPACES (the
    model.toml with only its cutoffs changed): the evidence for the cutoffs model.toml uses."""
    import tempfile

    base = (HERE / "model.toml").read_text()
    current = re.search(r"^cutoffs = (.*)$", base, re.M).group(1)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for cut in SCANNED_SPACES:
            toml = Path(tmp) / "space.toml"
            toml.write_text(base.replace(f"cutoffs = {current}", f"cutoffs = {cut}").replace('file = "POSCAR"', f'file = "{HERE / "POSCAR"}"'))
            row = {"cutoffs": cut}
            for label, cv in (("loo", ["--cv", "loo"]), ("kfold10", ["--cv", "kfold", "--k", "10", "--seed", "1"])):
                run = subprocess.run(list(map(str, [tmorder, "fit", toml, training, "-o", Path(tmp) / "m.json", "-f",
                                                    "--method", method, *cv, *refs])), capture_output=True, text=True)
                if run.returncode != 0:  # e.g. a fitted Ewald coefficient <= 0, which tmorder refuses
                    row["refused"] = run.stderr.split("error: ")[-1].split(";")[0].split(": ", 1)[-1].strip()
                    break
                text = run.stdout
                row[f"cv_{label}_meV_per_site"] = float(re.search(r"CV RMSE:\s+([\d.]+)", text).group(1))
                row["train_meV_per_site"] = float(re.search(r"train RMSE:\s+([\d.]+)", text).group(1))
                row["functions"] = int(re.search(r"non-zero ECIs: \d+ of (\d+)", text).group(1))
            rows.append(row)
    return rows


def sbsb_pairs(atoms):
    """In-plane Sb-Sb nearest-neighbour pairs per cell: 0 for a honeycomb host."""
    from ase.neighborlist import neighbor_list

    i, j, d = neighbor_list("ijd", atoms, 3.2)
    sym = np.array(atoms.get_chemical_symbols())
    return int(np.sum((np.abs(d - 3.063) < 0.1) & (sym[i] == "Sb") & (sym[j] == "Sb"))) // 2


def write_markdown(out, path):
    """validation.md: the numbers of validation.json as tables (generated; do not edit)."""
    gs = out["ground_state_2to1"]
    lines = [
        "# O3-NaNiSbCu-PBEU: fit and validation (generated by build_model.py; do not edit)",
        "",
        "## Fit",
        "",
        f"- training structures: {out['n_training']} (PBE+U single points, dft/training.extxyz)",
        f"- train RMSE {out['train_rmse_meV_per_site']} meV/site, 10-fold CV RMSE {out['cv_rmse_meV_per_site']} meV/site "
        "(site = TM or Na-layer site; 2 per formula unit)",
        f"- non-zero ECIs {int(out['nonzero_ecis'])} of {int(out['n_functions'])}; fitted Ewald coefficient (1/eps_r) {out['electrostatic_coefficient']}",
        "- reference energies (eV/atom, least squares over the training set): "
        + ", ".join(f"{k} {v:.4f}" for k, v in out["reference_energies_eV_per_atom"].items()),
        "",
        "## Ground state at Ni:Sb = 2:1, Na layer full",
        "",
        f"- exhaustive search over every supercell of up to 9 cells (Ni/Sb only): lowest at {gs['cells']} cells, "
        f"{gs['energy_eV_per_cell']:.4f} eV/cell; Sb-Sb nearest neighbours per Sb {gs['SbSb_nn_per_Sb']:.2f}, "
        f"Ni-Sb {gs['NiSb_nn_per_Sb']:.2f}: **{'honeycomb' if gs['honeycomb'] else 'NOT honeycomb'}**",
    ]
    for label, text in out["annealing_2to1"].items():
        lines.append(f"- simulated annealing, {label}: {text}")
    lines += ["", f"## Cluster spaces scanned ({out['method']}; RMSE meV/site)", "",
              "| cutoffs (A; pairs, triplets) | functions | LOO CV | 10-fold CV | train |", "|---|---|---|---|---|"]
    for r in out["cluster_space_scan"]:
        fig = lambda k: f"{r[k]:.1f}" if k in r else "-"
        lines.append(f"| {r['cutoffs']} | {r.get('functions', '-')} | {fig('cv_loo_meV_per_site')} | {fig('cv_kfold10_meV_per_site')} "
                     f"| {fig('train_meV_per_site')} |" + (f" refused: {r['refused']}" if "refused" in r else ""))
    lines += ["", "## DFT cost (GPAW single points, one shared core of a 2-core VM, two jobs side by side)", "",
              "| atoms | single points | median wall time (s) | range (s) |", "|---|---|---|---|"]
    for n, v in out["dft_wall_seconds_by_atoms"].items():
        lines.append(f"| {n} | {v['count']} | {v['median']:.0f} | {v['min']:.0f}-{v['max']:.0f} |")
    lines += ["", "## Cu exchange: E(Cu in the Na layer, Na on its TM site) - E(host), eV per cell", "",
              "| exchanged cell | host | host Sb-Sb NN pairs | DFT | model | model - DFT |", "|---|---|---|---|---|---|"]
    for e in out["cu_exchange"]:
        lines.append(f"| {e['cell']} | {e['host']} | {e['host_SbSb_nn_pairs']} ({'honeycomb' if e['host_SbSb_nn_pairs'] == 0 else 'Sb-clustered'}) "
                     f"| {e['dft_eV']:+.3f} | {e['model_eV']:+.3f} | {e['model_eV'] - e['dft_eV']:+.3f} |")
    path.write_text("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tmorder", default=str(REPO / "build" / "tmorder"))
    p.add_argument("--method", default="lasso")
    args = p.parse_args()
    T = args.tmorder
    dft = HERE / "dft"
    out = {}

    # 1. training and validation data
    sh(["/usr/bin/python3", DRIVER, "collect", dft / "structures.extxyz", dft / "results", dft / "training.extxyz"])
    sh(["/usr/bin/python3", DRIVER, "collect", dft / "validation.extxyz", dft / "results", dft / "validation-dft.extxyz"])
    train = read(str(dft / "training.extxyz"), index=":")
    out["n_training"] = len(train)
    # DFT cost per cell size (one shared core each; median and range of the wall times)
    timing = {}
    for path in sorted((dft / "results").glob("*.json")):
        rec = json.loads(path.read_text())
        if rec.get("status") == "converged":
            timing.setdefault(rec["n_atoms"], []).append(rec["wall_seconds"])
    out["dft_wall_seconds_by_atoms"] = {str(n): {"count": len(v), "median": float(np.median(v)), "min": float(min(v)),
                                                 "max": float(max(v))} for n, v in sorted(timing.items())}

    # 2. reference energies
    mu = reference_energies(train)
    out["reference_energies_eV_per_atom"] = mu
    refs = [f"{s}={v:.6f}" for s, v in mu.items() if v != 0.0]

    # 3. cluster-space scan, then the fit with model.toml's cutoffs
    out["method"] = args.method
    out["cluster_space_scan"] = scan_cluster_spaces(T, dft / "training.extxyz", [x for r in refs for x in ("--reference", r)], args.method)
    fit = sh([T, "fit", HERE / "model.toml", dft / "training.extxyz", "-o", HERE / "model.json", "-f",
              "--method", args.method, "--cv", "kfold", "--k", "10", "--seed", "1",
              "--report", HERE / "fit-report.h5", "--hull-axis", "TM:Sb",
              *[x for r in refs for x in ("--reference", r)]], cwd=REPO)
    print(fit)
    (HERE / "fit.txt").write_text(fit)
    for key, pattern in (("train_rmse_meV_per_site", r"train RMSE:\s+([\d.]+)"), ("cv_rmse_meV_per_site", r"CV RMSE:\s+([\d.]+)"),
                         ("electrostatic_coefficient", r"electrostatic coefficient \(1/eps_r\): ([-\d.e+]+)"),
                         ("nonzero_ecis", r"non-zero ECIs: (\d+)"), ("n_functions", r"non-zero ECIs: \d+ of (\d+)")):
        m = re.search(pattern, fit)
        out[key] = float(m.group(1)) if m else None
    sh(["/usr/bin/python3", REPO / "analysis" / "plot_fit.py", HERE / "fit-report.h5", "-o", HERE / "fit-report.png"])

    # 4. ground state at Ni:Sb = 2:1, Na layer full
    gs_file = HERE / "ground-states-nisb.extxyz"
    gs = sh([T, "ground-state", HERE / "model.json", "--max-size", "9", "--species", "TM:Ni,Sb", "--species", "Na:Na",
             "-o", gs_file, "-f"])
    (HERE / "ground-states-nisb.txt").write_text(gs)
    frames = read(str(gs_file), index=":")
    target = [a for a in frames if "Ni 2/3 Sb 1/3" in a.info["composition"]]
    sbsb, nisb = honeycomb_check(target[0])
    out["ground_state_2to1"] = {"cells": int(target[0].info["size"]), "energy_eV_per_cell": float(target[0].info["ce_energy_per_cell"]),
                                "SbSb_nn_per_Sb": sbsb, "NiSb_nn_per_Sb": nisb, "honeycomb": sbsb == 0 and nisb == 6}
    anneal = {}
    for label, cell in (("6x6 in-plane (36 TM sites)", "6,-6,0,0,6,-6,0,0,1"), ("6x6 x 2 layers (72 TM sites)", "6,-6,0,0,6,-6,0,0,2")):
        text = sh([T, "ground-state", HERE / "model.json", "--max-size", "3", "--species", "TM:Ni,Sb", "--species", "Na:Na",
                   "--anneal", cell, "--composition", "TM:Ni=2/3,Sb=1/3", "--composition", "Na:Na=1",
                   "--t-start", "8000", "--t-end", "50", "--stages", "60", "--sweeps", "200", "--seed", "3"])
        line = [ln for ln in text.splitlines() if "annealing - exhaustive" in ln]
        anneal[label] = line[0].strip() if line else text.splitlines()[-1]
    out["annealing_2to1"] = anneal

    # 5. Cu exchange energetics, DFT vs model
    # Hosts of the 3-cell exchanges are training structures, so both sets are evaluated.
    val_path = dft / "validation-dft.extxyz"
    val = read(str(val_path), index=":") if val_path.stat().st_size else []
    exchange = []
    if val:
        model_e = {}
        for src, csv in ((val_path, HERE / "validation-energies.csv"), (dft / "training.extxyz", HERE / "training-energies.csv")):
            sh([T, "energy", HERE / "model.json", src, "-o", csv, "-f"])
            rows = [ln.split(",") for ln in csv.read_text().splitlines()]
            head = rows[0]
            model_e.update({r[head.index("config_id")]: float(r[head.index("E_total_eV")]) for r in rows[1:]})
        frames = {a.info["config_id"]: a for a in train + val}
        dft_e = {k: a.get_potential_energy() for k, a in frames.items()}
        for a in val:
            if a.info.get("structure_class") != "validation-exchanged" or a.info["host_id"] not in dft_e:
                continue
            cid, host = a.info["config_id"], a.info["host_id"]
            exchange.append({"cell": cid, "host": host, "host_SbSb_nn_pairs": sbsb_pairs(frames[host]),
                             "dft_eV": dft_e[cid] - dft_e[host], "model_eV": model_e[cid] - model_e[host]})
    out["cu_exchange"] = exchange
    (HERE / "validation.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    write_markdown(out, HERE / "validation.md")
    print(json.dumps(out, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
