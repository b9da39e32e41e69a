#!/usr/bin/python3
"""Plot the cluster-space file written by ``tmorder info MODEL --output FILE.h5``.

Usage::

    /usr/bin/python3 analysis/plot_cluster_space.py FILE.h5 [-o OUT.png]

Writes a PNG (default: FILE with a ``.png`` suffix) and prints its path.
Invalid input is reported on stderr with exit status 1.
"""

import argparse
import sys
from pathlib import Path

# Make the tmorder_analysis package importable from any working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmorder_analysis import load_cluster_space, plot_cluster_space  # noqa: E402

PROG = "plot_cluster_space"


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plot a tmorder cluster-space HDF5 file (from `tmorder info --output`).",
    )
    parser.add_argument("file", type=Path, help="cluster-space HDF5 file")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="PNG to write (default: FILE with a .png suffix)")
    args = parser.parse_args(argv)
    out = args.output if args.output is not None else args.file.with_suffix(".png")
    try:
        summary = load_cluster_space(args.file)
        written = plot_cluster_space(summary, out)
    except (ValueError, OSError) as exc:  # OSError covers FileNotFoundError, unwritable output
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
