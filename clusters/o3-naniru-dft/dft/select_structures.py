"""Chooses the DFT training structures of the O3 Ni/Ru model from `tmorder enumerate` output.

Every structure is charge-balanced with formal charges Na+, Ni2+, Ru5+, O2-:

  niru13   Ni/Ru orderings at Ru = 1/3 of TM, Na layer full (Na3Ni2RuO6: honeycomb and others)
  niru25   Ru = 2/5 with one Na vacancy per 5 cells (Na0.8Ni0.6Ru0.4O2)

Selection as for every system (jobs/dft/structure_selection.py): every cell of up to
ALL_UP_TO parent cells, and larger compact cells by farthest-point sampling of the model's
correlation vectors. Sorted by atom count.

    /usr/bin/python3 select_structures.py TMORDER_BINARY OUT.extxyz
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "jobs" / "dft"))
from structure_selection import select_main  # noqa: E402

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


if __name__ == "__main__":
    sys.exit(select_main(__doc__.split("\n\n")[0], MODEL, ENUM, CLASSES, ALL_UP_TO, CHARGE))
