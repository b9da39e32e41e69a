#!/usr/bin/env bash
# Weak scaling of `tmorder run`: one replica per MPI rank, the same work per replica, 1 to
# MAX_RANKS ranks; prints a table of wall time, time in sweeps and in exchanges/sampling
# (communication), and the weak-scaling efficiency t(1 rank) / t(N ranks), medians over
# REPEATS runs.
#
#   bash bench/replica_exchange_scaling.sh [TMORDER_BINARY] [MAX_RANKS] [REPEATS]
#
# Every replica runs at (almost) the same temperature, 3000 K + 1 mK per rank, so its Monte
# Carlo work is the same on every rank and the efficiency measures the parallel overhead
# alone (exchange every sweep, sampling every 5 sweeps): the point-charge O3 model of the
# demo on 12 x 12 x 12 cells (1728 TM sites), 4000 sweeps.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/tmorder}
MAX_RANKS=${2:-2}
REPEATS=${3:-5}
flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && flags+=(--allow-run-as-root)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%6s %12s %12s %14s %11s\n' ranks "wall (s)" "sweeps (s)" "exchange (s)" efficiency
base=""
for n in $(seq 1 "$MAX_RANKS"); do
  temps=$(/usr/bin/python3 -c "print(', '.join(str(3000.0 + 0.001 * k) for k in range($n)))")
  cat >"$work/in$n.toml" <<TOML
[model]
file = "$ROOT/clusters/o3-nanisb-pointcharge/model.toml"
[supercell]
repetitions = [12, 12, 12]
[ensemble.composition.TM]
Ni = "2/3"
Sb = "1/3"
[temperatures]
list = [$temps]
[sampling]
equilibration_sweeps = 0
production_sweeps = 4000
sample_interval = 5
exchange_interval = 1
observables = ["energy", "honeycomb"]
[observables.honeycomb]
sublattice = "TM"
species = "Sb"
[run]
seed = 5
output = "$work/out$n.h5"
TOML
  results=()
  for r in $(seq 1 "$REPEATS"); do
    (cd "$work" && mpirun -n "$n" "${flags[@]}" "$BIN" run "in$n.toml" --force --quiet)
    results+=("$(/usr/bin/python3 - "$work/out$n.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
print(f.attrs["wall_seconds"], np.max(f["timing/sweep_seconds"][()]), np.max(f["timing/exchange_seconds"][()]))
PY
)")
  done
  read -r wall sweeps exch < <(printf '%s\n' "${results[@]}" | /usr/bin/python3 -c "
import sys, numpy as np
rows = np.array([[float(x) for x in line.split()] for line in sys.stdin if line.strip()])
print(*np.median(rows, axis=0))")
  [ -z "$base" ] && base=$wall
  eff=$(/usr/bin/python3 -c "print(f'{100 * $base / $wall:.1f}%')")
  printf '%6d %12.3f %12.3f %14.4f %11s\n' "$n" "$wall" "$sweeps" "$exch" "$eff"
done
