#!/usr/bin/env python3
"""Writes the example O3 NaTMO2 structures shipped in clusters/o3-nanisbcu/examples/.

Ideal (unrelaxed) supercells of the parent in clusters/o3-nanisbcu/POSCAR:
  honeycomb_NaNi2Sb.vasp      NaNi2/3Sb1/3O2, sqrt3 x sqrt3 honeycomb (Sb surrounded by 6 Ni)
  honeycomb_Cu_NaNiCuSb.vasp  NaNi0.5Cu0.17Sb0.33O2: one of four Ni of a 2sqrt3 x sqrt3 cell -> Cu
  disordered_Na0.8Ni0.6Sb0.4.vasp  Na0.8Ni0.6Sb0.4O2, 5 x 5 in-plane, random (seed 2026)

Lattice points n are in units of the rhombohedral vectors r1, r2, r3; the in-plane hexagonal
vectors are a1 = r1 - r2 = (1,-1,0) and a2 = r2 - r3 = (0,1,-1). The three sqrt3 x sqrt3
sublattices of a TM layer are (n1 - n2) mod 3 (invariant under 2a1+a2, -a1+a2 and r3).
Run with Debian's interpreter: /usr/bin/python3 scripts/make_o3_examples.py
"""
import pathlib
import random

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
PARENT = ROOT / "clusters" / "o3-nanisbcu" / "POSCAR"
OUT = ROOT / "clusters" / "o3-nanisbcu" / "examples"


def read_parent():
    lines = PARENT.read_text().splitlines()
    cell = np.array([[float(x) for x in lines[i].split()] for i in range(2, 5)])
    frac = np.array([[float(x) for x in lines[i].split()] for i in range(8, 12)])
    return cell, frac  # sites: 0 Ni(TM), 1 Na, 2 O, 3 O


def lattice_points(P):
    """Parent translations inside the supercell with rows P (integer 3x3)."""
    P = np.array(P, dtype=float)
    Pinv = np.linalg.inv(P)
    r = int(np.abs(P).sum()) + 1
    pts = []
    for a in range(-r, r + 1):
        for b in range(-r, r + 1):
            for c in range(-r, r + 1):
                m = np.array([a, b, c]) @ Pinv
                if np.all(m > -1e-9) and np.all(m < 1 - 1e-9):
                    pts.append((a, b, c))
    assert len(pts) == round(abs(np.linalg.det(P))), "wrong number of cells"
    return pts


def write(name, comment, P, tm_species, na_species):
    cell, frac = read_parent()
    P = np.array(P)
    sc_cell = P @ cell
    inv = np.linalg.inv(sc_cell)
    atoms = []
    for n in lattice_points(P):
        n = np.array(n)
        for site, sp in ((0, tm_species(n)), (1, na_species(n)), (2, "O"), (3, "O")):
            if sp == "Va":
                continue  # a vacancy is an absent atom
            cart = (frac[site] + n) @ cell
            f = cart @ inv
            atoms.append((sp, f - np.floor(f + 1e-12)))
    order = ["Na", "Ni", "Cu", "Sb", "O"]
    atoms.sort(key=lambda x: order.index(x[0]))
    species = [s for s in order if any(a[0] == s for a in atoms)]
    lines = [comment, "1.0"] + ["  %.10f %.10f %.10f" % tuple(v) for v in sc_cell]
    lines += ["  " + " ".join(species), "  " + " ".join(str(sum(a[0] == s for a in atoms)) for s in species), "Direct"]
    lines += ["  %.10f %.10f %.10f" % tuple(a[1]) for a in atoms]
    (OUT / name).write_text("\n".join(lines) + "\n")
    print("wrote", OUT / name)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    honeycomb = lambda n: "Sb" if (n[0] - n[1]) % 3 == 0 else "Ni"
    write("honeycomb_NaNi2Sb.vasp", "NaNi2/3Sb1/3O2 O3, sqrt3 x sqrt3 honeycomb (ideal positions)",
          [[2, -1, -1], [-1, 2, -1], [0, 0, 1]], honeycomb, lambda n: "Na")

    P2 = [[4, -2, -2], [-1, 2, -1], [0, 0, 1]]
    ni_sites = [n for n in lattice_points(P2) if honeycomb(n) == "Ni"]
    cu_site = tuple(ni_sites[0])
    write("honeycomb_Cu_NaNiCuSb.vasp", "NaNi1/2Cu1/6Sb1/3O2 O3, honeycomb with one Ni -> Cu (ideal positions)",
          P2, lambda n: "Cu" if tuple(n) == cu_site else honeycomb(n), lambda n: "Na")

    P3 = [[5, -5, 0], [0, 5, -5], [0, 0, 1]]
    pts = lattice_points(P3)
    rng = random.Random(2026)
    sb = set(rng.sample(pts, 10))    # 10 of 25 TM sites: Sb 0.4
    va = set(rng.sample(pts, 5))     # 5 of 25 Na sites empty: Na 0.8
    write("disordered_Na0.8Ni0.6Sb0.4.vasp", "Na0.8Ni0.6Sb0.4O2 O3, random Ni/Sb and Na/Va, seed 2026 (ideal positions)",
          P3, lambda n: "Sb" if tuple(n) in sb else "Ni", lambda n: "Va" if tuple(n) in va else "Na")


if __name__ == "__main__":
    main()
