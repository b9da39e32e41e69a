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
  cu25     Na-deficient Cu hosts, 5-cell Na4Ni2CuSb2O10 (Na0.8, Sb 2/5, one Na vacancy)
  mig25    their exchanged counterparts, Na3Ni2Sb2(Na)(Cu)O10: the Cu in the Na layer beside
           the vacancy, a Na on the TM site (added after the first fit, whose held-out Na0.8
           exchange energy was 0.8 eV off: the six classes above are all at full Na)

Selection as for every system (jobs/dft/structure_selection.py): every cell of up to
ALL_UP_TO parent cells is kept; among the larger, compact ones, structures are picked by
greedy farthest-point sampling of the full model's correlation vectors. Deterministic; one
extxyz with config_id = CLASS-<enumeration id>, sorted by atom count.

    /usr/bin/python3 select_structures.py TMORDER_BINARY OUT.extxyz
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "jobs" / "dft"))
from structure_selection import select_main  # noqa: E402

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
# Appended classes: farthest-point sampling goes class by class in this order, so the
# structures of the earlier classes (already computed) are chosen exactly as before.
CLASSES["cu25"] = ("cu.toml", ["--min-size", "5", "--max-size", "5", "--composition", "TM:Sb:0.4:0.4",
                               "--composition", "TM:Cu:0.2:0.2", "--composition", "Na:Va:0.2:0.2"], 2)
CLASSES["mig25"] = ("cumigva.toml", ["--min-size", "5", "--max-size", "5", "--composition", "TM:Sb:0.4:0.4",
                                     "--composition", "TM:Na:0.2:0.2", "--composition", "TM:Cu:0:0",
                                     "--composition", "Na:Cu:0.2:0.2", "--composition", "Na:Va:0.2:0.2"], 4)
ALL_UP_TO = {"nisb13": 3, "nisb25": 0, "nisb12": 2, "cu": 3, "mig3": 0, "mig6": 0, "cu25": 0, "mig25": 0}
# The validation cells (make_validation.py) include Na0.8 hosts and exchanged cells; none of
# them may be chosen for training.
HELD_OUT = HERE / "validation.extxyz"
CHARGE = {"Na": 1, "Ni": 2, "Cu": 2, "Sb": 5, "O": -2}


if __name__ == "__main__":
    sys.exit(select_main(__doc__.split("\n\n")[0], MODEL, ENUM, CLASSES, ALL_UP_TO, CHARGE, HELD_OUT))
