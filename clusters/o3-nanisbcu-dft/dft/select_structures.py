"""Chooses the DFT training structures of the O3 Ni/Sb/Cu model from `tmorder enumerate` output.

Every structure is charge-balanced with formal charges Na+, Ni2+, Cu2+, Sb5+, O2- (the
compositions the Monte Carlo visits); the classes are

  nisb13   Ni/Sb orderings at Sb = 1/3 of TM, Na layer full (Na3Ni2SbO6: honeycomb and others)
  nisb25   Sb = 2/5 with one Na vacancy per 5 cells (Na0.8Ni0.6Sb0.4O2)
  nisb12   Sb = 1/2 with half the Na layer empty (Na0.5Ni0.5Sb0.5O2)
  cu       Cu2+ on Ni sites at Sb = 1/3, Na layer full
  mig3     3-cell hosts in which the Cu sits in the Na layer and the Na it displaced on the
           TM site (the TM_oct <-> Na_oct exchange), one per 3 cells
  mig6     the same, one exchanged pair per 6 cells

Every cell of up to ALL_UP_TO parent cells is kept; among the larger, compact ones (reduced
cell vectors below MAX_REDUCED_LENGTH), structures are picked by greedy farthest-point sampling of the full model's
correlation vectors (distance to everything already chosen, all classes), cheapest cells
first on ties, so the set spans the cluster space. Deterministic; writes one extxyz with
config_id = CLASS-<enumeration id>, sorted by atom count (small cells finish first).

    /usr/bin/python3 select_structures.py TMORDER_BINARY OUT.extxyz [--validation VAL.extxyz]
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np
from ase.io import read, write

HERE = Path(__file__).resolve().parent
MODEL = HERE.parent / "model.toml"
ENUM = HERE / "enum"

# Sizes follow the cost on two shared cores (12 atoms ~2 min, 19 atoms ~8 min, 24 atoms
# 10-25 min per single point): every cell of up to 3 parent cells, few larger ones.
# class: (enumeration model, enumerate options, how many of the cells larger than ALL_UP_TO
# parent cells to keep by farthest-point sampling; every smaller cell is kept)
CLASSES = {
    "nisb13": ("nisb.toml", ["--max-size", "6", "--composition", "TM:Sb:0.3333:0.3334", "--composition", "Na:Va:0:0"], 2),
    "nisb25": ("nisb.toml", ["--min-size", "5", "--max-size", "5", "--composition", "TM:Sb:0.4:0.4",
                             "--composition", "Na:Va:0.2:0.2"], 3),
    "nisb12": ("nisb.toml", ["--max-size", "4", "--composition", "TM:Sb:0.5:0.5", "--composition", "Na:Va:0.5:0.5"], 3),
    "cu": ("cu.toml", ["--max-size", "6", "--composition", "TM:Sb:0.3333:0.3334", "--composition", "TM:Cu:0.16:0.67",
                       "--composition", "Na:Va:0:0"], 0),
    "mig3": ("cumig.toml", ["--max-size", "3", "--composition", "TM:Sb:0.3333:0.3334", "--composition", "TM:Na:0.33:0.34",
                            "--composition", "Na:Cu:0.33:0.34"], 10),
    "mig6": ("cumig.toml", ["--min-size", "6", "--max-size", "6", "--composition", "TM:Sb:0.3333:0.3334",
                            "--composition", "TM:Na:0.16:0.17", "--composition", "Na:Cu:0.16:0.17"], 2),
}
ALL_UP_TO = {"nisb13": 3, "nisb25": 0, "nisb12": 2, "cu": 3, "mig3": 0, "mig6": 0}
CHARGE = {"Na": 1, "Ni": 2, "Cu": 2, "Sb": 5, "O": -2}


def enumerate_class(tmorder, name, tmp):
    model, options, _ = CLASSES[name]
    out = Path(tmp) / f"{name}.extxyz"
    subprocess.run([tmorder, "enumerate", str(ENUM / model), *options, "-o", str(out), "-f"], check=True,
                   stdout=subprocess.DEVNULL)
    frames = read(str(out), index=":")
    for a in frames:
        a.info["config_id"] = f"{name}-{a.info['config_id']}"
        a.info["structure_class"] = name
        q = sum(CHARGE[s] for s in a.get_chemical_symbols())
        if q != 0:
            raise SystemExit(f"{name}: {a.info['config_id']} has net formal charge {q}")
    return frames


def correlations(tmorder, frames, tmp):
    path, h5 = Path(tmp) / "all.extxyz", Path(tmp) / "corr.h5"
    write(str(path), frames, format="extxyz")
    subprocess.run([tmorder, "correlations", str(MODEL), str(path), "-o", str(h5), "-f"], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(h5) as f:
        return np.asarray(f["correlations/values"])[:, 1:]


def longest_reduced_vector(atoms):
    from ase.build import niggli_reduce

    a = atoms.copy()
    a.pbc = True
    niggli_reduce(a)
    return float(max(a.cell.lengths()))


# Larger cells must be compact: long stacks (reduced cells of 20-30 A) charge-slosh for
# hundreds of SCF iterations and need many plane waves along the long axis.
MAX_REDUCED_LENGTH = 12.0


def farthest_point(corr, classes, sizes, want, lengths):
    chosen = [i for i, c in enumerate(classes) if sizes[i] <= ALL_UP_TO[c]]
    for name, k in want.items():
        idx = [i for i, c in enumerate(classes)
               if c == name and sizes[i] > ALL_UP_TO[c] and lengths[i] < MAX_REDUCED_LENGTH]
        if k >= len(idx):
            chosen += idx
            continue
        picked = []
        for _ in range(k):
            ref = chosen + picked
            if ref:
                d = np.min(np.linalg.norm(corr[idx][:, None, :] - corr[ref][None, :, :], axis=2), axis=1)
            else:
                d = np.zeros(len(idx))
            d[[idx.index(p) for p in picked]] = -1.0
            picked.append(idx[int(np.argmax(d))])  # first index on ties: smallest cells come first
        chosen += picked
    return chosen


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("tmorder")
    p.add_argument("output")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        frames, classes = [], []
        for name in CLASSES:
            f = enumerate_class(args.tmorder, name, tmp)
            frames += f
            classes += [name] * len(f)
        corr = correlations(args.tmorder, frames, tmp)
    sizes = [int(a.info["config_id"].split("-")[1][1:]) for a in frames]  # CLASS-nN-sS-dD
    lengths = [longest_reduced_vector(a) if s > ALL_UP_TO[c] else 0.0 for a, s, c in zip(frames, sizes, classes)]
    chosen = farthest_point(corr, classes, sizes, {n: c[2] for n, c in CLASSES.items()}, lengths)
    picked = sorted((frames[i] for i in chosen), key=lambda a: (len(a), a.info["config_id"]))
    write(args.output, picked, format="extxyz")
    counts = {}
    for a in picked:
        counts[a.info["structure_class"]] = counts.get(a.info["structure_class"], 0) + 1
    print(f"{len(picked)} structures -> {args.output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("atoms:", sorted(len(a) for a in picked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
