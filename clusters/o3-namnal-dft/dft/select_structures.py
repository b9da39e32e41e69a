"""Chooses the DFT training structures of the O'3 Mn/Al model from `tmorder enumerate` output.

Every structure is charge-balanced (Na+, Mn3+, Al3+, O2-; Na layer full):

  mnal0    the end members NaMnO2 and (hypothetical layered) NaAlO2, 1 cell each
  mnal13   Al = 1/3 of TM, every cell of up to 3 parent cells (incl. the sqrt3 x sqrt3 honeycomb)
  mnal12   Al = 1/2, every cell of up to 2 parent cells
  mnal25   Al = 2/5 (NaMn0.6Al0.4O2, the "queue"-ordered composition): 5-cell supercells,
           in-plane and stacked, by farthest-point sampling

Selection as for every system (jobs/dft/structure_selection.py). These cells are meant to be
relaxed (positions and cell, run_all.sh): O'3 is Jahn-Teller distorted, which ideal sites
cannot represent.

    /usr/bin/python3 select_structures.py TMORDER_BINARY OUT.extxyz
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "jobs" / "dft"))
from structure_selection import select_main  # noqa: E402

MODEL = HERE.parent / "model.toml"
ENUM = HERE.parent

# class: (model, enumerate options, how many larger cells to keep by farthest-point sampling)
CLASSES = {
    "mnal0": ("model.toml", ["--max-size", "1"], 0),
    "mnal13": ("model.toml", ["--max-size", "3", "--composition", "TM:Al:0.3333:0.3334"], 0),
    "mnal12": ("model.toml", ["--max-size", "2", "--composition", "TM:Al:0.5:0.5"], 0),
    "mnal25": ("model.toml", ["--min-size", "5", "--max-size", "5", "--composition", "TM:Al:0.4:0.4"], 6),
}
ALL_UP_TO = {"mnal0": 1, "mnal13": 3, "mnal12": 2, "mnal25": 0}
CHARGE = {"Na": 1, "Mn": 3, "Al": 3, "O": -2}


if __name__ == "__main__":
    sys.exit(select_main(__doc__.split("\n\n")[0], MODEL, ENUM, CLASSES, ALL_UP_TO, CHARGE))
