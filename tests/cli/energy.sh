#!/usr/bin/env bash
# Command-line contract of `tmorder energy`: predicted energies of structures checked against
# numbers computed independently here (numpy):
#  - square-lattice Ising model (point + nearest-neighbour pair ECIs): bonds counted from the
#    ideal geometry, for ideal, strained/rattled/rotated/shifted (relaxed-looking) extxyz
#    frames and a POSCAR, with reference energies, config_id, the error and its RMSE;
#  - the fit's per-atom reference energies (provenance.fit) are added back;
#  - rocksalt NaCl with charges +-1, coefficient 1: the Madelung energy per ion pair;
#  - triangular and fcc-ternary (vacancies) models with random ECIs: E_cluster equals
#    n_cells * (correlations of `tmorder correlations`, HDF5) . ECIs;
#  - bad input exits 2, names the file/frame, and writes nothing.
#
# Usage: bash energy.sh <path-to-tmorder-binary> <repo-root>
set -euo pipefail

SCRATCH_TAG=energy
# shellcheck source=lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/lib/assert.bash"
PY=/usr/bin/python3

# set_ecis IN.json OUT.json 'python list or expression of n (number of functions)' [REFERENCES-JSON]
set_ecis() {
  $PY - "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
n = j["n_functions"]
ecis = eval(sys.argv[3], {"n": n, "__builtins__": {"range": range, "len": len}})
assert len(ecis) == n, (len(ecis), n)
j["ecis"] = [float(v) for v in ecis]
if len(sys.argv) > 4:
    j.setdefault("provenance", {})["fit"] = {"reference_energies_ev_per_atom": json.loads(sys.argv[4])}
json.dump(j, open(sys.argv[2], "w"))
PY
}

# ---------------------------------------------------------------- square-lattice Ising model
run_ok "build the square model" -- "$TMORDER" build-model "$ROOT/clusters/square/model.toml" -o square.json
$PY - square.json <<'PY' || fail "square.json is not [empty, point, NN pair]"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["n_functions"] == 3 and j["ecis"] is None
assert [o["order"] for o in j["orbits"]] == [1, 2] and j["orbits"][1]["multiplicity"] == 2
assert abs(j["orbits"][1]["max_distance"] - 3.0) < 1e-9
PY
J0=0.13 J1=-0.37 J2=0.29
set_ecis square.json square-fit.json "[$J0, $J1, $J2]"
set_ecis square.json square-ref.json "[$J0, $J1, $J2]" '{"B": -0.7}'

# Structures and their independent energies: spins A = -1, B = +1 (cluster-space.md);
# E = N J0 + J1 sum_i s_i + J2 N Pi_NN with N Pi_NN = (1/4) sum_i sum_{j nn i} s_i s_j,
# neighbours (distance 3 A, periodic images) found from the ideal positions.
$PY - "$J0" "$J1" "$J2" <<'PY' || fail "could not write the square structures"
import json, sys
import numpy as np
J0, J1, J2 = map(float, sys.argv[1:4])
A = np.diag([3.0, 3.0, 30.0])
rng = np.random.default_rng(11)

def supercell_sites(P):
    L = P @ A
    inv = np.linalg.inv(L)
    out = []
    for i in range(-8, 9):
        for j in range(-8, 9):
            f = np.array([i, j, 0.0]) @ A @ inv
            if np.all(f > -1e-9) and np.all(f < 1 - 1e-9):
                out.append(f @ L)
    assert len(out) == round(abs(np.linalg.det(P))), (P, len(out))
    return L, np.array(out)

def energy(L, cart, species, refs=None):
    s = np.array([1.0 if x == "B" else -1.0 for x in species])
    nn = 0.0
    for i in range(len(cart)):
        for j in range(len(cart)):
            for a in range(-2, 3):
                for b in range(-2, 3):
                    d = np.linalg.norm(cart[j] + a * L[0] + b * L[1] - cart[i])
                    if abs(d - 3.0) < 1e-6:
                        nn += s[i] * s[j]
    N = len(cart)
    e_cluster = N * J0 + J1 * s.sum() + J2 * nn / 4.0
    e_atoms = sum((refs or {}).get(x, 0.0) for x in species)
    return N, e_cluster, e_atoms

def fmt_frame(L, cart, species, info):
    lines = [str(len(cart)),
             'Lattice="%s" Properties=species:S:1:pos:R:3 %s pbc="T T T"'
             % (" ".join("%.12f" % v for v in L.ravel()), info)]
    lines += ["%s %.12f %.12f %.12f" % (sp, *r) for sp, r in zip(species, cart)]
    return "\n".join(lines) + "\n"

def relax(L, cart, species, strain, rattle, angle, shift):
    eps = np.array([[strain, 0.004, 0], [0.004, -0.6 * strain, 0], [0, 0, 0.5 * strain]])
    c, s_ = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s_, 0], [s_, c, 0], [0, 0, 1]])
    F = R @ (np.eye(3) + eps)
    Ls = L @ F.T
    r = cart @ F.T + rng.uniform(-rattle, rattle, size=cart.shape) + np.asarray(shift)
    order = rng.permutation(len(cart))  # atoms in any order
    return Ls, r[order], [species[k] for k in order]

cases = [  # (P, species or None = random, relaxed?, reference energy?, config_id)
    (np.diag([1, 1, 1]), ["A"], False, -0.5, "pureA"),
    (np.diag([1, 1, 1]), ["B"], False, None, None),
    (np.diag([2, 1, 1]), ["A", "B"], False, -1.1, "ab-stripe"),
    (np.array([[1, 1, 0], [-1, 1, 0], [0, 0, 1]]), ["A", "B"], False, 0.3, None),  # checkerboard
    (np.diag([3, 1, 1]), ["A", "A", "B"], False, None, "aab"),
    (np.diag([2, 2, 1]), None, True, -2.0, "relaxed-2x2"),
    (np.array([[3, 1, 0], [0, 2, 0], [0, 0, 1]]), None, True, 1.7, None),
    (np.diag([4, 4, 1]), None, True, -3.3, "relaxed-4x4"),
]
text_ideal, text_mixed, expect = "", "", []
for k, (P, species, relaxed, ref, cid) in enumerate(cases):
    L, cart = supercell_sites(P)
    if species is None:
        species = list(rng.choice(["A", "B"], size=len(cart)))
    N, e_cluster, e_atoms = energy(L, cart, species, {"B": -0.7})
    info = ""
    if ref is not None: info += " energy=%.10f" % ref
    if cid is not None: info += " config_id=%s" % cid
    text_ideal += fmt_frame(L, cart, species, info)
    if relaxed:
        L, cart, species = relax(L, cart, species, 0.02, 0.06, 0.01 * k, [0.41, -0.27, 0.1])
    text_mixed += fmt_frame(L, cart, species, info)
    expect.append({"name": "mixed.xyz#%d" % k, "config_id": cid or "", "cells": N, "e_cluster": e_cluster,
                   "e_atoms": e_atoms, "reference": ref})
open("ideal.xyz", "w").write(text_ideal)
open("mixed.xyz", "w").write(text_mixed)

# A POSCAR: 2 x 2 cell, one B, shifted and with a 1 % strain.
L, cart = supercell_sites(np.diag([2, 2, 1]))
species = ["A", "B", "A", "A"]
N, e_cluster, e_atoms = energy(L, cart, species, {"B": -0.7})
Ls = L * 1.01
frac = (cart + [0.2, 0.1, 0.0]) @ np.linalg.inv(L)
order = [0, 2, 3, 1]
with open("POSCAR", "w") as f:
    f.write("square 2x2, one B\n1.0\n")
    for row in Ls: f.write("%.12f %.12f %.12f\n" % tuple(row))
    f.write("A B\n3 1\nDirect\n")
    for k in order: f.write("%.12f %.12f %.12f\n" % tuple(frac[k]))
expect.append({"name": "POSCAR", "config_id": "", "cells": N, "e_cluster": e_cluster, "e_atoms": e_atoms, "reference": None})
json.dump(expect, open("square-expect.json", "w"))
PY

# check_csv CSV EXPECT.json ACTIVE_SITES WITH_ATOMS: every number against the expectation (1e-8).
check_csv() {
  $PY - "$@" <<'PY'
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
expect = json.load(open(sys.argv[2]))
active = int(sys.argv[3]); with_atoms = sys.argv[4] == "1"
header = list(rows[0].keys()) if rows else []
assert header == ["structure", "config_id", "parent_cells", "E_total_eV", "E_cluster_eV", "E_electrostatic_eV",
                  "E_atoms_eV", "E_per_cell_eV", "E_reference_eV", "error_meV_per_site"], header
assert len(rows) == len(expect), (len(rows), len(expect))
def close(a, b, what):
    assert abs(a - b) <= 1e-8 * max(1.0, abs(b)), "%s: %.12g != %.12g" % (what, a, b)
errors = []
for r, e in zip(rows, expect):
    assert r["structure"] == e["name"], (r["structure"], e["name"])
    assert r["config_id"] == e["config_id"], (r["config_id"], e["config_id"])
    assert int(r["parent_cells"]) == e["cells"], (r, e)
    e_atoms = e["e_atoms"] if with_atoms else 0.0
    total = e["e_cluster"] + e_atoms
    close(float(r["E_cluster_eV"]), e["e_cluster"], r["structure"] + " E_cluster")
    close(float(r["E_electrostatic_eV"]), 0.0, r["structure"] + " E_es")
    close(float(r["E_atoms_eV"]), e_atoms, r["structure"] + " E_atoms")
    close(float(r["E_total_eV"]), total, r["structure"] + " E_total")
    close(float(r["E_per_cell_eV"]), total / e["cells"], r["structure"] + " E/cell")
    if e["reference"] is None:
        assert r["E_reference_eV"] == "" and r["error_meV_per_site"] == "", r
    else:
        close(float(r["E_reference_eV"]), e["reference"], r["structure"] + " E_ref")
        err = 1000.0 * (total - e["reference"]) / (e["cells"] * active)
        close(float(r["error_meV_per_site"]), err, r["structure"] + " error")
        errors.append(err)
print("%.3f" % math.sqrt(sum(x * x for x in errors) / len(errors)) if errors else "none")
PY
}

run_ok "energies of ideal, relaxed and POSCAR square structures" -- \
  "$TMORDER" energy square-fit.json mixed.xyz POSCAR -o square.csv
rmse=$(check_csv square.csv square-expect.json 1 0) || { cat square.csv; fail "square energies differ from the bond count"; }
grep -qF "RMSE (model - reference) over 6 of 9 structures: $rmse meV/site" stdout || { cat stdout; fail "stdout lacks the RMSE $rmse"; }
for col in "E_total (eV)" "E_cluster (eV)" "E_es (eV)" "E (eV/cell)" "E_ref (eV)" "model-ref (meV/site)" "config_id"; do
  grep -qF "$col" stdout || fail "table header lacks '$col'"
done
grep -Eq '^mixed\.xyz#7 +relaxed-4x4 +16 ' stdout || { cat stdout; fail "table row of frame 7 (name, config_id, cells)"; }
grep -Eq '^POSCAR +- +4 ' stdout || { cat stdout; fail "table row of the POSCAR"; }
grep -q "E_atoms" stdout && fail "E_atoms column without fit reference energies"
# the ideal frames give the same numbers as their relaxed copies
run_ok "ideal frames" -- "$TMORDER" energy square-fit.json ideal.xyz -o ideal.csv
$PY - square.csv ideal.csv <<'PY' || fail "relaxed frames do not map onto their ideal structures"
import csv, sys
a = list(csv.DictReader(open(sys.argv[1])))[:-1]
b = list(csv.DictReader(open(sys.argv[2])))
assert len(a) == len(b) == 8
for x, y in zip(a, b):
    assert abs(float(x["E_total_eV"]) - float(y["E_total_eV"])) < 1e-12, (x, y)
PY

run_ok "the fit's reference energies per atom are added back" -- \
  "$TMORDER" energy square-ref.json mixed.xyz POSCAR -o square-ref.csv
check_csv square-ref.csv square-expect.json 1 1 >/dev/null || { cat square-ref.csv; fail "E_atoms / E_total with references"; }
grep -qF "E_atoms (eV)" stdout || fail "no E_atoms column with fit reference energies"

# ---------------------------------------------------------------- rocksalt: Madelung energy
D=2.82  # nearest-neighbour distance, A; conventional a = 2 D
cat >rocksalt.toml <<EOF
[model]
name = "rocksalt-test"
description = "rocksalt, cation site {Na, K}, Cl fixed; d = $D A"

[structure]
cell = [[0.0, $D, $D], [$D, 0.0, $D], [$D, $D, 0.0]]
positions = [[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]]
species = ["Na", "Cl"]

[[sublattices]]
name = "C"
sites = [0]
species = ["Na", "K"]

[clusters]
cutoffs = [4.5]

[electrostatics]
charges = { Na = 1, K = 1, Cl = -1 }
coefficient = 1.0
EOF
$PY - "$D" <<'PY' || fail "could not write the rocksalt structures"
import sys
d = float(sys.argv[1]); a = 2 * d
def write(name, cell, atoms):
    with open(name, "w") as f:
        f.write("%d\nLattice=\"%s\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n"
                % (len(atoms), " ".join("%.12f" % v for row in cell for v in row)))
        for sp, r in atoms: f.write("%s %.12f %.12f %.12f\n" % (sp, *r))
fcc = [(0, 0, 0), (0, 0.5, 0.5), (0.5, 0, 0.5), (0.5, 0.5, 0)]
conv = [[a, 0, 0], [0, a, 0], [0, 0, a]]
cat = ["Na", "K", "K", "K"]
atoms = [(cat[k], [a * x for x in f]) for k, f in enumerate(fcc)]
atoms += [("Cl", [a * ((x + 0.5) % 1.0) for x in f]) for f in fcc]
write("nacl-conv.xyz", conv, atoms)
swap = list(atoms); swap[1] = ("Cl", swap[1][1])  # Cl on a cation site
write("nacl-swap.xyz", conv, swap)
write("nacl-prim.xyz", [[0, d, d], [d, 0, d], [d, d, 0]], [("Na", [0, 0, 0]), ("Cl", [d, d, d])])
PY
run_ok "rocksalt: electrostatic-only model (.toml definition)" -- \
  "$TMORDER" energy rocksalt.toml nacl-conv.xyz nacl-prim.xyz -o nacl.csv
$PY - nacl.csv "$D" <<'PY' || { cat nacl.csv; fail "rocksalt electrostatic energy is not the Madelung energy"; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
d = float(sys.argv[2])
pair = -1.747565 * 14.399645 / d  # Madelung energy per ion pair, eV
for r, pairs in zip(rows, (4, 1)):
    assert int(r["parent_cells"]) == pairs, r
    e_es = float(r["E_electrostatic_eV"])
    assert abs(e_es - pairs * pair) <= 1e-5 * abs(pairs * pair), (r["structure"], e_es, pairs * pair)
    assert float(r["E_cluster_eV"]) == 0.0 and float(r["E_total_eV"]) == e_es, r
PY
run_ok "build the rocksalt model" -- "$TMORDER" build-model rocksalt.toml -o rocksalt.json
$PY - rocksalt.json <<'PY' || fail "rocksalt.json: function 1 is not the cation point function"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["orbits"][0]["order"] == 1 and j["orbits"][0]["functions"] == [[[1]]], j["orbits"][0]
PY
set_ecis rocksalt.json rocksalt-fit.json "[0.25, -0.125] + [0.0] * (n - 2)"
run_ok "rocksalt: cluster expansion + electrostatics" -- "$TMORDER" energy rocksalt-fit.json nacl-conv.xyz -o both.csv
$PY - both.csv "$D" <<'PY' || { cat both.csv; fail "rocksalt E_cluster + E_es"; }
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[0]
d = float(sys.argv[2])
e_cluster = 4 * 0.25 - 0.125 * (-1 + 1 + 1 + 1)  # point spins: Na = -1, K = +1 (Na K K K)
e_es = 4 * -1.747565 * 14.399645 / d
assert abs(float(r["E_cluster_eV"]) - e_cluster) < 1e-10, r
assert abs(float(r["E_electrostatic_eV"]) - e_es) <= 1e-5 * abs(e_es), r
assert abs(float(r["E_total_eV"]) - float(r["E_cluster_eV"]) - float(r["E_electrostatic_eV"])) < 1e-10, r
assert abs(float(r["E_per_cell_eV"]) - float(r["E_total_eV"]) / 4) < 1e-12, r
PY

# ------------------------------------- ideal frames: E_cluster = n_cells * correlations . ECIs
$PY - <<'PY' || fail "could not write the triangular/fcc frames"
import numpy as np
rng = np.random.default_rng(5)
def frames(A, Ps, choices, name):
    text = ""
    for P in Ps:
        P = np.array(P, dtype=float)
        L = P @ A
        inv = np.linalg.inv(L)
        atoms = []
        for i in range(-6, 7):
            for j in range(-6, 7):
                for k in range(-6, 7):
                    f = np.array([i, j, k]) @ A @ inv
                    if np.all(f > -1e-9) and np.all(f < 1 - 1e-9):
                        sp = rng.choice(choices)
                        if sp != "Va" or not atoms: atoms.append(("Cu" if sp == "Va" else sp, f @ L))
        text += "%d\nLattice=\"%s\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n" % (
            len(atoms), " ".join("%.12f" % v for v in L.ravel()))
        text += "".join("%s %.12f %.12f %.12f\n" % (sp, *r) for sp, r in atoms)
    open(name, "w").write(text)
tri = np.array([[3.063, 0.0, 0.0], [-1.5315, 2.652636, 0.0], [0.0, 0.0, 30.0]])
frames(tri, [np.eye(3), [[2, 1, 0], [-1, 1, 0], [0, 0, 1]], np.diag([2, 2, 1]), np.diag([3, 2, 1]),
             [[3, 1, 0], [0, 3, 0], [0, 0, 1]]], ["Ni", "Sb"], "tri.xyz")
fcc = np.array([[0.0, 2.0, 2.0], [2.0, 0.0, 2.0], [2.0, 2.0, 0.0]])
frames(fcc, [np.eye(3), np.diag([2, 1, 1]), [[1, 1, 0], [0, 1, 1], [1, 0, 1]], np.diag([2, 2, 1]),
             [[-1, 1, 1], [1, -1, 1], [1, 1, -1]]], ["Cu", "Au", "Au", "Va"], "fcc.xyz")
PY
compare_correlations() {  # MODEL.json FRAMES CORR.h5 ENERGY.csv
  $PY - "$@" <<'PY'
import csv, json, sys
import h5py, numpy as np
model = json.load(open(sys.argv[1]))
J = np.array(model["ecis"])
with h5py.File(sys.argv[3], "r") as h:
    X = h["/correlations/values"][...]
rows = list(csv.DictReader(open(sys.argv[4])))
assert X.shape == (len(rows), len(J)), (X.shape, len(rows), len(J))
A = np.array(model["structure"]["cell"])
text = open(sys.argv[2]).read().splitlines()
cells, i = [], 0
while i < len(text):
    n = int(text[i]); lat = text[i + 1].split('"')[1]
    L = np.array([float(v) for v in lat.split()]).reshape(3, 3)
    cells.append(round(abs(np.linalg.det(L) / np.linalg.det(A)))); i += n + 2
vacancies = 0
for r, x, nc in zip(rows, X, cells):
    assert int(r["parent_cells"]) == nc, (r, nc)
    expected = nc * float(x @ J)
    assert abs(float(r["E_cluster_eV"]) - expected) <= 1e-8 * max(1.0, abs(expected)), (r["structure"], r["E_cluster_eV"], expected)
    assert abs(float(r["E_total_eV"]) - expected) <= 1e-8 * max(1.0, abs(expected)), r
print(len(rows), "frames agree")
PY
}
run_ok "build the triangular model" -- "$TMORDER" build-model "$ROOT/clusters/triangular/model.toml" -o tri.json
set_ecis tri.json tri-fit.json "[0.3 * ((-1) ** k) / (k + 1) + 0.01 * k for k in range(n)]"
run_ok "triangular correlations" -- "$TMORDER" correlations tri-fit.json tri.xyz -o tri-corr.h5
run_ok "triangular energies" -- "$TMORDER" energy tri-fit.json tri.xyz -o tri.csv
compare_correlations tri-fit.json tri.xyz tri-corr.h5 tri.csv || fail "triangular: E_cluster != n_cells * correlations . ECIs"
run_ok "build the fcc ternary model" -- "$TMORDER" build-model "$ROOT/clusters/fcc/model.toml" -o fcc.json
set_ecis fcc.json fcc-fit.json "[0.2 - 0.05 * k + 0.003 * k * k for k in range(n)]"
run_ok "fcc correlations (vacancies)" -- "$TMORDER" correlations fcc-fit.json fcc.xyz -o fcc-corr.h5
run_ok "fcc energies (vacancies)" -- "$TMORDER" energy fcc-fit.json fcc.xyz -o fcc.csv
compare_correlations fcc-fit.json fcc.xyz fcc-corr.h5 fcc.csv || fail "fcc: E_cluster != n_cells * correlations . ECIs"

# ---------------------------------------------------------------- refusals: exit 2, nothing written
refuse() {  # refuse DESCRIPTION PATTERN... -- ARGS (after `tmorder energy`)
  local desc=$1
  shift
  local pats=()
  while [ "$1" != "--" ]; do pats+=("$1"); shift; done
  shift
  rm -f out.csv
  expect_fail 2 "$desc" "${pats[@]}" -- "$TMORDER" energy "$@"
  [ ! -e out.csv ] || fail "$desc: out.csv was written"
  ! ls out.csv.tmp-* >/dev/null 2>&1 || fail "$desc: a temporary file was left"
}
refuse "model without ECIs or electrostatics" "square.json" "neither fitted ECIs" -- square.json mixed.xyz -o out.csv
refuse "definition without ECIs or electrostatics" "neither fitted ECIs" -- "$ROOT/clusters/square/model.toml" mixed.xyz -o out.csv
cp mixed.xyz unknown.xyz
printf '1\nLattice="3 0 0 0 3 0 0 0 30" Properties=species:S:1:pos:R:3 energy=-1 pbc="T T T"\nFe 0 0 0\n' >>unknown.xyz
refuse "unknown species names the file and frame" "unknown.xyz: frame 8" "'Fe'" "unknown to the model" -- \
  square-fit.json unknown.xyz -o out.csv
cp mixed.xyz offsite.xyz
printf '2\nLattice="6 0 0 0 3 0 0 0 30" Properties=species:S:1:pos:R:3 pbc="T T T"\nA 0 0 0\nB 4.5 1.5 0\n' >>offsite.xyz
refuse "unmappable frame names the file and frame" "offsite.xyz: frame 8" "does not map" -- \
  square-fit.json mixed.xyz offsite.xyz -o out.csv
printf '1\nLattice="3.9 0 0 0 3 0 0 0 30" Properties=species:S:1:pos:R:3 pbc="T T T"\nA 0 0 0\n' >strained.xyz
refuse "cell beyond --max-strain" "strained.xyz: frame 0" "strain" -- square-fit.json strained.xyz -o out.csv --max-strain 0.05
refuse "rattled frame beyond --max-displacement" "mixed.xyz: frame 5" "max_displacement 0.01" -- \
  square-fit.json mixed.xyz -o out.csv --max-displacement 0.01
refuse "missing structure file" "missing.xyz" -- square-fit.json mixed.xyz missing.xyz -o out.csv
refuse "missing model file" "nomodel.json" -- nomodel.json mixed.xyz -o out.csv
refuse "species not allowed on its site (rocksalt: Cl on a cation site)" "nacl-swap.xyz: frame 0" "does not map" -- \
  rocksalt.toml nacl-conv.xyz nacl-swap.xyz -o out.csv
printf 'x\n' >keep.csv
before=$(sha256sum keep.csv)
expect_fail 2 "existing CSV without -f" "keep.csv" "exists" -- "$TMORDER" energy square-fit.json mixed.xyz -o keep.csv
[ "$(sha256sum keep.csv)" = "$before" ] || fail "existing CSV was modified without -f"
expect_fail 2 "existing CSV without -f is checked before the model is read" "keep.csv" "exists" -- \
  "$TMORDER" energy nomodel.json mixed.xyz -o keep.csv
run_ok "-f overwrites" -- "$TMORDER" energy square-fit.json mixed.xyz POSCAR -o keep.csv -f
cmp -s keep.csv square.csv || fail "-f did not write the same CSV"

echo "PASS: energy"
