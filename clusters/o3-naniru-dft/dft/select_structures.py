"""Chooses the DFT training structures of the O3 Ni/Ru model from `tmorder enumerate` output.

Every structure is charge-balanced with formal charges Na+, Ni2+, Ru5+, O2-:

  niru13   Ni/Ru orderings at Ru = 1/3 of TM, Na layer full (Na3Ni2RuO6: honeycomb and others)
  niru25   Ru = 2/5 with one Na vacancy per 5 cells (Na0.8Ni0.6Ru0.4O2)

Every cell of up to ALL_UP_TO parent cells is kept; among the larger ones, structures are
picked by greedy farthest-point sampling of the model's correlation vectors (as for the
Ni/Sb/Cu model, clusters/o3-nanisbcu-dft/dft/select_structures.py). Sorted by atom count.

    /usr/bin/python3 select_structures.py TMORDER_BINARY OUT.extxyz
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
ENUM = HERE.parent

# Sizes follow the cost on two shared cores (12 atoms ~2 min, 19 atoms ~8 min, 24 atoms
# 10-25 min per single point): every cell of up to ALL_UP_TO parent cells, few larger ones.
# class: (model, enumerate options, how many larger cells to keep by farthest-point sampling)
CLASSES = {
    "niru13": ("model.toml", ["--max-size", "6", "--composition", "TM:Ru:0.3333:0.3334", "--composition", "Na:Va:0:0"], 3),
    "niru25": ("model.toml", ["--min-size", "5", "--max-size", "5", "--composition", "TM:Ru:0.4:0.4",
                              "--composition", "Na:Va:0.2:0.2"], 3),
}
ALL_UP_TO = {"niru13": 3, "niru25": 0}
CHARGE = {"Na": 1, "Ni": 2, "Ru": 5, "O": -2}


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


def farthest_point(corr, classes, sizes, want):
    chosen = [i for i, c in enumerate(classes) if sizes[i] <= ALL_UP_TO[c]]
    for name, k in want.items():
        idx = [i for i, c in enumerate(classes) if c == name and sizes[i] > ALL_UP_TO[c]]
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
    chosen = farthest_point(corr, classes, sizes, {n: c[2] for n, c in CLASSES.items()})
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
