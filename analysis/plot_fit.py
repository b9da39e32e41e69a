#!/usr/bin/python3
"""Plot the fit report written by ``tmorder fit MODEL TRAINING -o FITTED.json --report FILE.h5``.

Usage::

    /usr/bin/python3 analysis/plot_fit.py FILE.h5 [-o OUT.png]

Writes a PNG (default: FILE with a ``.png`` suffix: parity plot, ECIs versus cluster radius,
DFT and CE convex hulls) and prints its path. Invalid input is reported on stderr with exit
status 1.
"""

import argparse
import sys
from pathlib import Path

# Make the tmorder_analysis package importable from any working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmorder_analysis import load_fit_report, plot_fit_report  # noqa: E402

PROG = "plot_fit"


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog=PROG, description="Plot a tmorder fit report (from `tmorder fit --report`).")
    parser.add_argument("file", type=Path, help="fit report HDF5 file")
    parser.add_argument("-o", "--output", type=Path, default=None, help="PNG to write (default: FILE with a .png suffix)")
    args = parser.parse_args(argv)
    out = args.output if args.output is not None else args.file.with_suffix(".png")
    try:
        written = plot_fit_report(load_fit_report(args.file), out)
    except (ValueError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
