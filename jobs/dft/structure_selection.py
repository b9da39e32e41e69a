"""Training-structure selection shared by the clusters/*/dft/select_structures.py scripts.

A system script names its structure classes (an enumeration model and `tmorder enumerate`
options each), the formal charges every structure must balance, and how many cells to pick
per class; `select_main` enumerates every class, keeps every cell of up to `all_up_to[class]`
parent cells, and among the larger, compact ones (reduced cell vectors below
MAX_REDUCED_LENGTH) picks structures by greedy farthest-point sampling of the full model's
correlation vectors, computed with SELECTION_CUTOFFS (distance to everything already chosen,
all classes; the smallest cell on ties), so the set spans the cluster space. Deterministic; writes one extxyz with
config_id = CLASS-<enumeration id>, sorted by atom count (small cells finish first).
"""
import argparse
import re
import subprocess
import tempfile
from pathlib import Path

import h5py
import numpy as np
from ase.io import read, write

# Larger cells must be compact: long stacks (reduced cells of 20-30 A) charge-slosh for
# hundreds of SCF iterations and need many plane waves along the long axis.
MAX_REDUCED_LENGTH = 12.0


def longest_reduced_vector(atoms):
    """Longest vector (Angstrom) of the Niggli-reduced cell."""
    from ase.build import niggli_reduce

    a = atoms.copy()
    a.pbc = True
    niggli_reduce(a)
    return float(max(a.cell.lengths()))


# The cluster space the training sets were selected in (farthest-point sampling of its
# correlation vectors). A model's fitted cutoffs are chosen afterwards by CV and are usually
# shorter; selection stays in this space so that rerunning a select script reproduces the
# structures that were computed.
SELECTION_CUTOFFS = "[6.2, 3.1]"


def with_cutoffs(model_toml, cutoffs, directory):
    """A copy of `model_toml` in `directory` with its [clusters] cutoffs replaced by
    `cutoffs` (TOML array text) and its structure file made absolute."""
    model_toml = Path(model_toml).resolve()
    text = model_toml.read_text()
    text, n = re.subn(r"^cutoffs\s*=.*$", f"cutoffs = {cutoffs}", text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"{model_toml}: no 'cutoffs = [...]' line to replace")
    text = re.sub(r'^file\s*=\s*"([^"]+)"', lambda m: f'file = "{(model_toml.parent / m.group(1)).resolve()}"', text,
                  count=1, flags=re.M)
    out = Path(directory) / f"{model_toml.stem}-cutoffs.toml"
    out.write_text(text)
    return out


def correlations(tmorder, model, frames, tmp, name="all"):
    """Correlation vectors (empty cluster included) of `frames` with `model`, via
    `tmorder correlations`."""
    path, h5 = Path(tmp) / f"{name}.extxyz", Path(tmp) / f"{name}.h5"
    write(str(path), frames, format="extxyz")
    subprocess.run([tmorder, "correlations", str(model), str(path), "-o", str(h5), "-f"], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(h5) as f:
        return np.asarray(f["correlations/values"])


def enumerate_class(tmorder, name, model, options, charges, tmp):
    """Every structure of one class, config_id prefixed with the class name; refuses a
    structure whose formal charges do not balance."""
    out = Path(tmp) / f"{name}.extxyz"
    subprocess.run([tmorder, "enumerate", str(model), *options, "-o", str(out), "-f"], check=True,
                   stdout=subprocess.DEVNULL)
    frames = read(str(out), index=":")
    for a in frames:
        a.info["config_id"] = f"{name}-{a.info['config_id']}"
        a.info["structure_class"] = name
        q = sum(charges[s] for s in a.get_chemical_symbols())
        if q != 0:
            raise SystemExit(f"{name}: {a.info['config_id']} has net formal charge {q}")
    return frames


def farthest_point(corr, classes, sizes, want, all_up_to, lengths, held_out=()):
    """Indices chosen: every cell of up to all_up_to[class] parent cells, then want[class]
    more per class by farthest-point sampling; indices in `held_out` are never chosen."""
    held_out = set(held_out)
    chosen = [i for i, c in enumerate(classes) if sizes[i] <= all_up_to[c] and i not in held_out]
    for name, k in want.items():
        idx = [i for i, c in enumerate(classes)
               if c == name and sizes[i] > all_up_to[c] and lengths[i] < MAX_REDUCED_LENGTH and i not in held_out]
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


def select_main(description, model, enum_dir, classes, all_up_to, charges, held_out=None):
    """Command line of a system's select_structures.py: TMORDER_BINARY OUT.extxyz.
    `classes` maps a class name to (enumeration model file in enum_dir, enumerate options,
    how many cells larger than all_up_to[class] to pick). `held_out`: an extxyz of validation
    cells; a candidate with the same correlation vector as one of them (a symmetry-equivalent
    cell) is never chosen, so validation stays out of the training set."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("tmorder")
    p.add_argument("output")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        frames, names = [], []
        for name, (enum_model, options, _) in classes.items():
            f = enumerate_class(args.tmorder, name, Path(enum_dir) / enum_model, options, charges, tmp)
            frames += f
            names += [name] * len(f)
        space = with_cutoffs(model, SELECTION_CUTOFFS, tmp)
        corr = correlations(args.tmorder, space, frames, tmp)[:, 1:]
        excluded = []
        if held_out is not None and Path(held_out).exists():
            held = correlations(args.tmorder, space, read(str(held_out), index=":"), tmp, "held-out")[:, 1:]
            excluded = [i for i in range(len(frames)) if np.max(np.abs(held - corr[i]), axis=1).min() < 1e-8]
    sizes = [int(a.info["config_id"].split("-")[1][1:]) for a in frames]  # CLASS-nN-sS-dD
    lengths = [longest_reduced_vector(a) if s > all_up_to[c] else 0.0 for a, s, c in zip(frames, sizes, names)]
    chosen = farthest_point(corr, names, sizes, {n: c[2] for n, c in classes.items()}, all_up_to, lengths, excluded)
    picked = sorted((frames[i] for i in chosen), key=lambda a: (len(a), a.info["config_id"]))
    write(args.output, picked, format="extxyz")
    counts = {}
    for a in picked:
        counts[a.info["structure_class"]] = counts.get(a.info["structure_class"], 0) + 1
    print(f"{len(picked)} structures -> {args.output}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("atoms:", sorted(len(a) for a in picked))
    if excluded:
        print(f"{len(excluded)} enumerated cells left out as held-out validation cells ({held_out})")
    return 0
