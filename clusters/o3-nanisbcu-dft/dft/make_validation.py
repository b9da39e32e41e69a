"""Validation cells for the Cu exchange energetics (not in the training set).

1. Dilute Cu, 6-cell (24-atom) Na6Ni3CuSb2O12 hosts from `tmorder enumerate` (Cu on one Ni
   site at Ni:Sb = 2:1): the honeycomb-ordered one (no Sb-Sb nearest neighbours in the TM
   layer) and the most Sb-clustered one among the compact cells (most Sb-Sb nearest-neighbour
   pairs: a disordered-like host). The exchanged cell moves the Cu into a nearest Na-layer site (3.18 A) and puts
   that Na on the vacated TM site.
2. 3-cell exchanged cells (Cu in the Na layer, Na on a TM site) of the `mig3` class that the
   training set does not contain, two with a honeycomb host and two with an Sb-clustered
   host; their hosts (the Cu put back) are 3-cell Cu-substituted training structures, found
   by their correlation vectors.
3. Na-deficient hosts, 5-cell Na4Ni2CuSb2O10 (Na0.8, one Na vacancy per 5 cells; the composition
   of the disordered D-NNCSO of the science brief): among the compact cells, the one with the
   fewest Sb-Sb nearest neighbours and the one with the most; the Cu moves to the Na-layer
   site next to it that touches the most vacancies, and that Na takes the Cu's TM site.
   Added after the first six cells, which they leave unchanged.
The exchange energy is E(exchanged) - E(host), from DFT and from the fitted model.

Every cell is checked against the training set: a cell whose full-model correlation vector
equals a training structure's (symmetry-equivalent) is refused.

    /usr/bin/python3 make_validation.py TMORDER_BINARY TRAINING_STRUCTURES.extxyz OUT.extxyz
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from ase.io import read, write

HERE = Path(__file__).resolve().parent
MODEL = HERE.parent / "model.toml"
sys.path.insert(0, str(HERE.parents[2] / "jobs" / "dft"))
from model_building import neighbour_pairs as nn_pairs  # noqa: E402
from structure_selection import (MAX_REDUCED_LENGTH, SELECTION_CUTOFFS, correlations as shared_correlations,  # noqa: E402
                                 longest_reduced_vector, with_cutoffs)


def neighbour_counts(atoms, a, b, d):
    """For every atom of species a, the number of b atoms (periodic images included) at
    distance d +- 0.1 A."""
    from ase.neighborlist import neighbor_list

    i, j, dist = neighbor_list("ijd", atoms, d + 0.1)
    sym = np.array(atoms.get_chemical_symbols())
    keep = (np.abs(dist - d) < 0.1) & (sym[i] == a) & (sym[j] == b)
    return {int(k): int(np.sum(i[keep] == k)) for k in np.where(sym == a)[0]}


def correlations(tmorder, frames, tmp, name):
    """Correlations in the space the training set was selected in (SELECTION_CUTOFFS): hosts
    are found, and held-out cells checked, in that space, independent of the fitted cutoffs."""
    return shared_correlations(tmorder, with_cutoffs(MODEL, SELECTION_CUTOFFS, tmp), frames, tmp, name)


def cu_na_layer_neighbours(host):
    """The Na atoms (sorted indices) at the Cu-to-Na-layer distance (3.18 A) from the single Cu."""
    from ase.neighborlist import neighbor_list

    sym = np.array(host.get_chemical_symbols())
    cu = int(np.where(sym == "Cu")[0][0])
    ii, jj, dd = neighbor_list("ijd", host, 3.3)
    return sorted({int(j) for i, j, d in zip(ii, jj, dd) if i == cu and sym[j] == "Na" and abs(d - 3.18) < 0.1})


def exchanged(host, na_index):
    a = host.copy()
    sym = a.get_chemical_symbols()
    cu = [i for i, s in enumerate(sym) if s == "Cu"]
    assert len(cu) == 1
    pos = a.positions.copy()
    pos[[cu[0], na_index]] = pos[[na_index, cu[0]]]
    a.positions = pos
    return a


def held_out_exchanges(tmorder, train, train_corr, tmp):
    out = Path(tmp) / "mig3.extxyz"
    subprocess.run([tmorder, "enumerate", str(HERE / "enum" / "cumig.toml"), "--max-size", "3",
                    "--composition", "TM:Sb:0.3333:0.3334", "--composition", "TM:Na:0.33:0.34",
                    "--composition", "Na:Cu:0.33:0.34", "-o", str(out), "-f"], check=True, stdout=subprocess.DEVNULL)
    cands = read(str(out), index=":")
    ids = {a.info["config_id"] for a in train}
    cands = [a for a in cands if f"mig3-{a.info['config_id']}" not in ids]
    hosts = []
    for a in cands:
        sym = a.get_chemical_symbols()
        cu = [i for i, s in enumerate(sym) if s == "Cu"][0]
        # the Na on a TM site: the Na with the TM layer's z (fractional along the stacking, as enumerated)
        tm_na = [i for i, s in enumerate(sym) if s == "Na" and is_tm_site(a, i)]
        assert len(tm_na) == 1, a.info["config_id"]
        h = a.copy()
        pos = h.positions.copy()
        pos[[cu, tm_na[0]]] = pos[[tm_na[0], cu]]
        h.positions = pos
        hosts.append(h)
    hc = correlations(tmorder, hosts, tmp, "hosts")
    own = correlations(tmorder, cands, tmp, "cands")
    picked = {True: [], False: []}
    for a, h, c, o in zip(cands, hosts, hc, own):
        if np.max(np.abs(train_corr - o), axis=1).min() < 1e-8:
            continue  # the cluster space cannot tell it from a training structure
        d = np.max(np.abs(train_corr - c), axis=1)
        if d.min() > 1e-8 or "Ni" not in a.get_chemical_symbols():
            continue  # host not computed (or a Cu2Sb host without Ni)
        host_id = train[int(np.argmin(d))].info["config_id"]
        ordered = nn_pairs(h, "Sb", "Sb") == 0
        if len(picked[ordered]) < 2:
            a = a.copy()
            a.info["config_id"] = f"val-{'ordered' if ordered else 'clustered'}3-{a.info['config_id']}"
            a.info["structure_class"] = "validation-exchanged"
            a.info["host_id"] = host_id
            picked[ordered].append(a)
    return picked[True] + picked[False]


def deficient_exchanges(tmorder, tmp):
    out = Path(tmp) / "deficient.extxyz"
    subprocess.run([tmorder, "enumerate", str(HERE / "enum" / "cu.toml"), "--min-size", "5", "--max-size", "5",
                    "--composition", "TM:Sb:0.4:0.4", "--composition", "TM:Cu:0.2:0.2", "--composition", "Na:Va:0.2:0.2",
                    "-o", str(out), "-f"], check=True, stdout=subprocess.DEVNULL)
    hosts = [h for h in read(str(out), index=":") if longest_reduced_vector(h) < MAX_REDUCED_LENGTH]
    sbsb = [nn_pairs(h, "Sb", "Sb") for h in hosts]
    picks = (("ordered", int(np.argmin(sbsb))), ("clustered", int(np.argmax(sbsb))))
    cells = []
    for label, k in picks:
        host = hosts[k].copy()
        hid = f"val-deficient-{label}-{host.info['config_id']}"
        host.info["config_id"] = hid + "-host"
        host.info["structure_class"] = "validation-host"
        nas = cu_na_layer_neighbours(host)
        vac = vacancy_neighbours(host)
        target = max(nas, key=lambda i: (vac.get(i, 0), -i))
        ex = exchanged(host, target)
        ex.info["config_id"] = f"{hid}-ex{vac.get(target, 0)}va"
        ex.info["structure_class"] = "validation-exchanged"
        ex.info["host_id"] = host.info["config_id"]
        cells += [host, ex]
    return cells


def vacancy_neighbours(atoms):
    """For every Na-layer Na, the number of empty Na-layer sites among its 6 in-plane
    neighbours (3.06 A): 6 minus its Na and Cu neighbours in its own layer."""
    sym = np.array(atoms.get_chemical_symbols())
    na_nn, cu_nn = (neighbour_counts(atoms, "Na", s, 3.063) for s in ("Na", "Cu"))
    return {int(i): 6 - na_nn.get(int(i), 0) - cu_nn.get(int(i), 0)
            for i in np.where(sym == "Na")[0] if not is_tm_site(atoms, int(i))}


def is_tm_site(atoms, i):
    """Both cation sites of O3 are octahedral, so tell them apart by height: the parent POSCAR
    puts the TM layers at z = 0 mod 5.28 A and the Na layers half-way between (enumerated
    cells keep the parent's Cartesian frame)."""
    layer = 5.28
    z = atoms.positions[i, 2] % layer
    return min(z, layer - z) < 0.5


def main():
    tmorder, training, output = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hosts.extxyz"
        subprocess.run([tmorder, "enumerate", str(HERE / "enum" / "cu.toml"), "--min-size", "6", "--max-size", "6",
                        "--composition", "TM:Sb:0.3333:0.3334", "--composition", "TM:Cu:0.16:0.17",
                        "--composition", "Na:Va:0:0", "-o", str(out), "-f"], check=True, stdout=subprocess.DEVNULL)
        hosts = read(str(out), index=":")
        sbsb = [nn_pairs(h, "Sb", "Sb") for h in hosts]
        ordered = [h for h, n in zip(hosts, sbsb) if n == 0]
        # Only compact cells for the clustered host: a 6-layer stack (reduced cell ~32 A long)
        # charge-sloshed for 90 SCF iterations without converging (val-clustered1-n6-s23-d1774).
        compact = [i for i in range(len(hosts)) if longest_reduced_vector(hosts[i]) < MAX_REDUCED_LENGTH]
        order = sorted(compact, key=lambda i: -sbsb[i])
        picks = [("ordered", ordered[0])] + [(f"clustered{k + 2}", hosts[i]) for k, i in enumerate(order[:1])]
        cells = []
        for label, host in picks:
            host = host.copy()
            hid = f"val-{label}-{host.info['config_id']}"
            host.info["config_id"] = hid + "-host"
            host.info["structure_class"] = "validation-host"
            cells.append(host)
            nas = cu_na_layer_neighbours(host)
            # Na-layer neighbours of the Cu, told apart by how many Sb they touch (3.18 A)
            sb_of = neighbour_counts(host, "Na", "Sb", 3.18)
            by_env = {}
            for i in nas:
                by_env.setdefault(sb_of[i], i)
            keys = sorted(by_env)
            for n_sb in (keys if label == "ordered" else keys[:1]):
                ex = exchanged(host, by_env[n_sb])
                ex.info["config_id"] = f"{hid}-ex{n_sb}sb"
                ex.info["structure_class"] = "validation-exchanged"
                ex.info["host_id"] = host.info["config_id"]
                cells.append(ex)
        train = read(training, index=":")
        ct = correlations(tmorder, train, tmp, "train")
        cells += held_out_exchanges(tmorder, train, ct, tmp)
        cells += deficient_exchanges(tmorder, tmp)
        cv = correlations(tmorder, cells, tmp, "val")
        for a, c in zip(cells, cv):
            d = np.min(np.max(np.abs(ct - c), axis=1))
            if d < 1e-8:
                raise SystemExit(f"{a.info['config_id']} is in the training set")
    write(output, cells, format="extxyz")
    for a in cells:
        print(a.info["config_id"], a.get_chemical_formula(), "Sb-Sb NN pairs", nn_pairs(a, "Sb", "Sb"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
