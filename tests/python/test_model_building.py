"""The shared model-building steps (jobs/dft/model_building.py, structure_selection.with_cutoffs)
against results known independently: exact least-squares recovery of reference energies,
nearest-neighbour bond counts of the honeycomb and of a fully occupied triangular layer, the
cutoff rewrite of a model definition, and the parsing of `tmorder fit` output."""

import sys
from pathlib import Path

import numpy as np
import pytest
from ase.build import make_supercell
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import read

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "jobs" / "dft"))
import model_building as mb  # noqa: E402
from structure_selection import with_cutoffs  # noqa: E402

PARENT = REPO / "clusters" / "o3-nanisbcu-dft" / "POSCAR"


def test_reference_energies_recover_a_linear_composition_trend_exactly():
    mu_true = {"Na": -1.3, "Ni": -5.7, "Sb": -4.1}
    parent = read(str(PARENT))
    frames = []
    rng = np.random.default_rng(4)
    for k in range(6):
        # cells of 1-3 parent cells, k % 3 Sb, and one Na removed from every other cell:
        # the Na, Ni and Sb counts vary independently of each other and of the cell size
        a = make_supercell(parent, np.diag([1, 1, 1 + k % 3]))
        sym = a.get_chemical_symbols()
        tm = [i for i, s in enumerate(sym) if s == "Ni"]
        for i in rng.choice(tm, size=min(k % 3, len(tm)), replace=False):
            sym[i] = "Sb"
        a.set_chemical_symbols(sym)
        if k % 2:
            del a[[i for i, s in enumerate(sym) if s == "Na"][0]]
            sym = a.get_chemical_symbols()
        e = sum(mu_true.get(s, 0.0) for s in sym)
        a.calc = SinglePointCalculator(a, energy=e)
        frames.append(a)
    mu = mb.reference_energies(frames, ("Na", "Ni", "Sb", "Cu"))
    assert mu["Cu"] == 0.0  # absent species keep a zero reference
    for s, v in mu_true.items():
        assert mu[s] == pytest.approx(v, abs=1e-9)
    assert mb.reference_options(mu) == ["--reference", "Na=-1.300000", "--reference", "Ni=-5.700000",
                                        "--reference", "Sb=-4.100000"]


def honeycomb_cell():
    """sqrt3 x sqrt3 in-plane supercell of the O3 parent (det 3) with Sb on one of its three
    TM sites: Na3Ni2SbO6's honeycomb layer."""
    parent = read(str(PARENT))
    cell = make_supercell(parent, [[2, -1, -1], [-1, 2, -1], [0, 0, 1]])
    sym = cell.get_chemical_symbols()
    sym[[i for i, s in enumerate(sym) if s == "Ni"][0]] = "Sb"
    cell.set_chemical_symbols(sym)
    return cell


def test_neighbour_pairs_of_the_honeycomb_layer():
    cell = honeycomb_cell()
    assert cell.get_chemical_symbols().count("Sb") == 1
    assert mb.neighbour_pairs(cell, "Sb", "Sb") == 0
    assert mb.neighbour_pairs(cell, "Sb", "Ni") == 6  # each Sb surrounded by Ni
    assert mb.neighbour_pairs(cell, "Ni", "Ni") == 3  # Ni honeycomb: 2 Ni x 3 Ni neighbours / 2


def test_neighbour_pairs_of_a_full_triangular_layer():
    # one TM site per cell, 6 in-plane neighbours: 3 bonds per cell, for any supercell
    for matrix in (np.eye(3, dtype=int), np.diag([2, 2, 1]), [[2, -1, -1], [-1, 2, -1], [0, 0, 1]]):
        cell = make_supercell(read(str(PARENT)), matrix)
        n = cell.get_chemical_symbols().count("Ni")
        assert mb.neighbour_pairs(cell, "Ni", "Ni") == 3 * n


def test_with_cutoffs_replaces_only_the_cutoffs_and_makes_the_structure_path_absolute(tmp_path):
    src = REPO / "clusters" / "o3-nanisbcu-dft" / "model.toml"
    out = with_cutoffs(src, "[3.2, 3.2]", tmp_path)
    new, old = out.read_text().splitlines(), src.read_text().splitlines()
    changed = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(new) == len(old)
    assert [b for _, b in changed] == [f'file = "{PARENT.resolve()}"', "cutoffs = [3.2, 3.2]"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[structure]\nfile = "POSCAR"\n')
    with pytest.raises(SystemExit, match="cutoffs"):
        with_cutoffs(bad, "[3.2]", tmp_path / ".")


FIT_OUTPUT = """training set: t.extxyz (39 structures), model: M (27 functions, 2 active sites per cell)
method: lasso, alpha = 0.00117171 (chosen by k-fold k=10 CV over 50 values)
train RMSE: 27.907 meV/site
CV RMSE:    57.216 meV/site (k-fold k=10)
non-zero ECIs: 16 of 27
electrostatic coefficient (1/eps_r): 0.00325084 (fitted)
"""


def test_parse_fit_reads_the_figures_of_tmorder_fit():
    fit = mb.parse_fit(FIT_OUTPUT)
    assert fit == {"train_rmse_meV_per_site": 27.907, "cv_rmse_meV_per_site": 57.216, "electrostatic_coefficient": 0.00325084,
                   "nonzero_ecis": 16, "n_functions": 27}


def test_markdown_scan_reports_refused_fits_with_their_reason():
    out = {"method": "lasso", "cluster_space_scan": [
        {"cutoffs": "[4.5]", "functions": 27, "cv_loo_meV_per_site": 49.4, "cv_kfold10_meV_per_site": 57.2, "train_meV_per_site": 27.9},
        {"cutoffs": "[6.2]", "refused": "the fitted electrostatic coefficient -0.006 is not > 0"}]}
    lines = mb.markdown_scan(out)
    assert "| [4.5] | 27 | 49.4 | 57.2 | 27.9 |" in lines
    assert any(ln.startswith("| [6.2] | - | - | - | - |") and "refused: the fitted electrostatic" in ln for ln in lines)


def test_farthest_point_sampling_spans_the_space_and_never_picks_held_out_cells():
    """Points on a line at 0, 1, 2, 6, 10: starting from the always-kept small cell at 0 the
    farthest point is 10, then 6 (4 from 10; 2 is only 2 from 0). With the cell at 10 held
    out the choice is 6, then 2 (2 from both 0 and 6; 1 is 1 from 0). A held-out small cell
    is not kept either: with nothing chosen the first candidate (1) is taken, then 10."""
    from structure_selection import farthest_point

    corr = np.array([[0.0], [1.0], [2.0], [6.0], [10.0]])
    classes = ["a", "b", "b", "b", "b"]
    sizes = [1, 5, 5, 5, 5]
    lengths = [0.0, 5.0, 5.0, 5.0, 5.0]
    assert farthest_point(corr, classes, sizes, {"a": 0, "b": 2}, {"a": 1, "b": 1}, lengths) == [0, 4, 3]
    assert farthest_point(corr, classes, sizes, {"a": 0, "b": 2}, {"a": 1, "b": 1}, lengths, held_out=[4]) == [0, 3, 2]
    assert farthest_point(corr, classes, sizes, {"a": 0, "b": 2}, {"a": 1, "b": 1}, lengths, held_out=[0]) == [1, 4]


def _stripes(pattern):
    """The Mn/Al parent repeated 2 x len(pattern) in-plane; every TM row along the first
    in-plane vector (a1 - a2, the x axis) takes the species of its place in `pattern`."""
    parent = read(str(REPO / "clusters" / "o3-namnal-dft" / "POSCAR"))
    n = len(pattern)
    a = make_supercell(parent, np.array([[2, -2, 0], [0, n, -n], [0, 0, 1]]))
    sym = a.get_chemical_symbols()
    frac = a.get_scaled_positions()
    for k, s in enumerate(sym):
        if s == "Mn":
            sym[k] = pattern[int(round(frac[k, 1] * n)) % n]
    a.set_chemical_symbols(sym)
    return a


def test_row_ordering_is_recognised_with_its_sequence_and_nothing_else_is():
    """A TM layer made of Mn Mn Mn Al Al rows along x (a 3:2 "queue") has rows along x and
    nowhere else, and reading across the rows gives that sequence (up to where the walk
    starts); swapping one Mn and one Al between rows breaks the rows; the 2:1 honeycomb has
    none."""
    tm = ("Mn", "Al")
    queue = _stripes(["Mn", "Mn", "Mn", "Al", "Al"])
    rows = mb.row_directions(queue, tm)
    assert len(rows) == 1 and np.allclose(np.abs(rows[0]), [1.0, 0.0, 0.0])
    seq = mb.row_sequence(queue, tm, rows[0])
    assert len(seq) == 5 and sorted(seq) == ["Al", "Al", "Mn", "Mn", "Mn"]
    assert "".join(s[0] for s in seq) in "MMMAAMMMAA" + "MMMAAMMMAA"[::-1]
    directions, sequence = mb.rows(queue, tm)  # the one-neighbour-list form agrees
    assert len(directions) == 1 and np.allclose(directions[0], rows[0]) and sequence == seq

    broken = queue.copy()
    sym = broken.get_chemical_symbols()
    mn, al = sym.index("Mn"), sym.index("Al")
    sym[mn], sym[al] = "Al", "Mn"
    broken.set_chemical_symbols(sym)
    assert mb.row_directions(broken, tm) == []
    assert mb.rows(broken, tm) == ([], [])

    frames = read(str(REPO / "clusters" / "o3-nanisbcu-dft" / "ground-states-nisb.extxyz"), index=":")
    honeycomb = [a for a in frames if "Ni 2/3 Sb 1/3" in a.info["composition"]][0]
    assert mb.neighbour_pairs(honeycomb, "Sb", "Sb") == 0
    assert mb.row_directions(honeycomb, ("Ni", "Sb"), d=3.063) == []


def _namnal_build():
    """clusters/o3-namnal-dft/build_model.py as a module (importing it runs nothing)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("namnal_build", REPO / "clusters" / "o3-namnal-dft" / "build_model.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def _mn_al_cell(symbols, energy):
    """A stand-in O3 cell: only the species and the energy matter to the ordering report."""
    from ase import Atoms
    a = Atoms(symbols + ["Na"] * len(symbols), positions=np.zeros((2 * len(symbols), 3)))
    a.calc = SinglePointCalculator(a, energy=energy)
    return a


def test_mn_al_mixing_energies_and_reordering_against_hand_computed_values():
    """clusters/o3-namnal-dft/build_model.relaxed_orderings: energies per TM above the lowest
    cell and mixing energies against the end members of the same kind (ideal with ideal,
    relaxed with relaxed), checked on numbers worked out by hand."""
    build = _namnal_build()
    ideal = {"mn": (["Mn"], -10.0), "al": (["Al"], -8.0), "a": (["Mn", "Al"], -18.1), "b": (["Mn", "Al"], -18.0),
             "c": (["Mn", "Mn", "Al"], -28.0), "lonely": (["Mn", "Mn", "Al"], -27.9)}
    train = []
    for cid, (symbols, e) in ideal.items():
        train.append(_mn_al_cell(symbols, e))
        train[-1].info["config_id"] = cid
    # Relaxed: Mn gains 0.5 eV, Al 0.2 eV; cell a gains 0.2 eV, b 0.4 eV (b becomes lowest).
    relaxed = [{"cell": "mn", "relaxed_eV": -10.5}, {"cell": "al", "relaxed_eV": -8.2},
               {"cell": "a", "relaxed_eV": -18.3}, {"cell": "b", "relaxed_eV": -18.4},
               {"cell": "lonely", "relaxed_eV": -28.0}]
    out = build.relaxed_orderings(train, relaxed)
    assert list(out) == ["0.500"]  # Al = 1/3 has one relaxed cell: nothing to compare
    rows = {r["cell"]: r for r in out["0.500"]}
    assert [r["cell"] for r in out["0.500"]] == ["b", "a"]  # sorted by relaxed energy
    assert rows["a"]["ideal_above_lowest_meV_per_tm"] == 0.0 and rows["b"]["ideal_above_lowest_meV_per_tm"] == 50.0
    assert rows["b"]["relaxed_above_lowest_meV_per_tm"] == 0.0 and rows["a"]["relaxed_above_lowest_meV_per_tm"] == 50.0
    # ideal: -18.1/2 - (-9.0) = -0.05 eV/TM; relaxed: -18.4/2 - (-10.5 - 8.2)/2 = +0.15 eV/TM
    assert rows["a"]["ideal_mixing_meV_per_tm"] == pytest.approx(-50.0)
    assert rows["b"]["relaxed_mixing_meV_per_tm"] == pytest.approx(150.0)
    assert rows["a"]["relaxed_mixing_meV_per_tm"] == pytest.approx(200.0)
    # without a relaxed end member there is no mixing energy, but the ranking stays
    out = build.relaxed_orderings(train, [r for r in relaxed if r["cell"] != "al"])
    assert "relaxed_mixing_meV_per_tm" not in out["0.500"][0]


def test_height_above_the_tie_line_of_the_neighbouring_ground_states():
    """build_model.height_above_tie_line: the height of a composition above the lower convex
    hull of the others, and the facet below it, on points worked out by hand; a linear term
    added to every energy (reference energies) changes nothing."""
    build = _namnal_build()
    points = [(0.0, 0.0), (1 / 3, -12.0), (0.4, -11.0), (0.5, -16.0), (0.75, -9.0), (1.0, 0.0)]
    height, c1, c2 = build.height_above_tie_line(points, 0.4)
    # hull facet 1/3 - 1/2: -12 + (0.4 - 1/3) / (1/6) * (-4) = -13.6 (0 - 1/2 gives -12.8 and
    # 1/3 - 3/4 gives -11.52 there: higher)
    assert height == pytest.approx(2.6) and (c1, c2) == (1 / 3, 0.5)
    tilted = [(c, e + 7.0 - 30.0 * c) for c, e in points]
    assert build.height_above_tie_line(tilted, 0.4)[0] == pytest.approx(2.6)
    on_hull = [(c, -14.0 if c == 0.4 else e) for c, e in points]
    assert build.height_above_tie_line(on_hull, 0.4)[0] == pytest.approx(-0.4)
