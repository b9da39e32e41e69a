#!/usr/bin/python3
"""Plot the results file written by ``tmorder run`` and print its thermodynamics table.

Usage::

    /usr/bin/python3 analysis/plot_run.py RESULTS.h5 [-o OUT.png]

Prints the run's provenance, the transition-temperature estimate (maximum of the
heat capacity with parabolic refinement) and a table of T, <psi>, C and the exchange
acceptance of the pair (k, k + 1), then writes a PNG (default: RESULTS with a ``.png``
suffix) and prints its path as the last line. Invalid input is reported on stderr
with exit status 1.
"""

import argparse
import sys
import warnings
from pathlib import Path

# Make the tmorder_analysis package importable from any working directory.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tmorder_analysis import (  # noqa: E402
    format_run_table,
    load_run,
    plot_run,
    transition_temperature,
)

PROG = "plot_run"


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plot a tmorder run results HDF5 file (from `tmorder run`) and print a summary.",
    )
    parser.add_argument("file", type=Path, help="run results HDF5 file")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="PNG to write (default: FILE with a .png suffix)")
    args = parser.parse_args(argv)
    out = args.output if args.output is not None else args.file.with_suffix(".png")
    try:
        results = load_run(args.file)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RuntimeWarning)
            t_c = transition_temperature(results)
        print(f"{results.path}: {results.model_name} ({results.metadata['ensemble']}, "
              f"{results.n_temperatures} temperatures, {results.n_samples} samples)")
        print(f"energy model: {results.energy_model}")
        print(results.provenance())
        print(f"transition temperature (heat-capacity maximum, parabolic refinement): {t_c:.1f} K")
        for warning in caught:
            print(f"{PROG}: warning: {warning.message}", file=sys.stderr)
        print(format_run_table(results))
        written = plot_run(results, out)
    except (ValueError, OSError) as exc:  # OSError covers FileNotFoundError, unwritable output
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
