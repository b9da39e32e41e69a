#!/usr/bin/env bash
# `tmorder run` on 2 MPI ranks: checkpoint/restart continues bit for bit, signals stop a run
# cleanly, and checkpoints or outputs that do not belong to a run are refused untouched.
#
# Usage: bash run_restart.sh <path-to-tmorder-binary> <repo-root> <mpiexec> [mpiexec flags...]
set -euo pipefail

SCRATCH_TAG=restart
BINARY=$1
REPO=$2
MPIEXEC=$3
shift 3
MPIFLAGS=("$@")
set -- "$BINARY" "$REPO"
# shellcheck source=../cli/lib/assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib/assert.bash"
PY=/usr/bin/python3
# A failed check must not leave a background run (and its ranks) spinning.
cleanup() {
  local p
  for p in $(jobs -p); do
    pkill -9 -P "$p" 2>/dev/null || true
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

mpi2() { "$MPIEXEC" -n 2 "${MPIFLAGS[@]}" "$@"; }
mpi1() { "$MPIEXEC" -n 1 "${MPIFLAGS[@]}" "$@"; }

# A small point-charge run: 27 TM sites, 4 temperatures (2 per rank), adaptive ladder,
# snapshots, every observable; 60 + 240 sweeps.
write_input() {
  local file=$1 seed=$2 sweeps=${3:-240}
  cat >"$file" <<EOF
[model]
file = "$ROOT/clusters/o3-nanisb-pointcharge/model.toml"
[supercell]
repetitions = [3, 3, 3]
[ensemble.composition.TM]
Ni = "2/3"
Sb = "1/3"
[temperatures]
min = 2000.0
max = 6000.0
count = 4
adaptive = true
adaptive_interval = 20
[sampling]
equilibration_sweeps = 60
production_sweeps = $sweeps
sample_interval = 3
exchange_interval = 2
snapshot_interval = 80
observables = ["energy", "honeycomb", "concentrations", "warren_cowley"]
[observables.honeycomb]
sublattice = "TM"
species = "Sb"
[checkpoint]
interval = 50
[run]
seed = $seed
output = "out.h5"
progress_interval = 1000.0
EOF
}

# Every dataset of two results files identical to the bit (timing excluded: wall clock).
same_datasets() {
  "$PY" - "$1" "$2" <<'EOF'
import sys
import h5py
import numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
names = []
a.visit(lambda n: names.append(n) if isinstance(a[n], h5py.Dataset) else None)
assert len(names) > 30, names
checked = 0
for n in names:
    if n.startswith("timing/"):
        continue
    x, y = a[n][()], b[n][()]
    if x.dtype.kind == "f":
        ok = np.array_equal(x.view(np.uint64 if x.dtype.itemsize == 8 else np.uint32),
                            y.view(np.uint64 if y.dtype.itemsize == 8 else np.uint32))
    else:
        ok = np.array_equal(x, y)
    if not ok:
        sys.exit(f"dataset {n} differs")
    checked += 1
for attr in ("seed", "input_sha256", "model_sha256", "n_ranks"):
    if a.attrs[attr] != b.attrs[attr]:
        sys.exit(f"attribute {attr} differs")
print(f"{checked} datasets bit-identical")
EOF
}

mkdir straight stopped
write_input input.toml 11

# 1. Straight through.
(cd straight && run_ok "a straight run of 300 sweeps on 2 ranks" -- mpi2 "$TMORDER" run ../input.toml)
[ -f straight/out.h5 ] || fail "no results file"
[ ! -e straight/out.h5.chk ] || fail "a finished run must remove its checkpoint"

# 2. Stopped after 130 sweeps (mid-production, not on a checkpoint or exchange boundary... an
#    odd count), restarted, stopped again, restarted to the end: bit-identical results.
cd stopped
run_ok "stop after 131 sweeps" -- mpi2 "$TMORDER" run ../input.toml --stop-after-sweeps 131
grep -q "checkpoint written to out.h5.chk at sweep 131/300" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "no stop message"; }
[ -f out.h5.chk ] || fail "no checkpoint after --stop-after-sweeps"
[ ! -e out.h5 ] || fail "a stopped run must not write results"
run_ok "resume and stop after 77 more" -- mpi2 "$TMORDER" run ../input.toml --restart --stop-after-sweeps 77
grep -q "at sweep 208/300" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "second stop not at 208"; }
# What a kill -9 during a checkpoint write leaves behind: a partial temporary file next to the
# intact previous checkpoint. It must not disturb the resume.
head -c 1000 out.h5.chk >out.h5.chk.tmp-99999
run_ok "resume automatically to the end" -- mpi2 "$TMORDER" run ../input.toml
grep -q "resumed from out.h5.chk at sweep 208" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "no resume message"; }
cd ..
echo "check: restarted run equals the straight run bit for bit"
same_datasets straight/out.h5 stopped/out.h5 || fail "restart is not bit-identical"
"$PY" -c "import h5py,sys; f=h5py.File('stopped/out.h5'); sys.exit(0 if f.attrs['restarts']==2 else 'restarts attribute is %s' % f.attrs['restarts'])" \
  || fail "restarts not recorded"

# 3. Refusals: nothing written, nothing overwritten.
mkdir refuse && cd refuse
run_ok "make a checkpoint" -- mpi2 "$TMORDER" run ../input.toml --stop-after-sweeps 40
cp out.h5.chk pristine.chk
expect_fail 2 "rank count differs" "out.h5.chk" "2 MPI ranks" "mpirun -n 2" -- mpi1 "$TMORDER" run ../input.toml
cmp -s out.h5.chk pristine.chk || fail "checkpoint changed by a refused restart"
write_input other.toml 12
expect_fail 2 "checkpoint of another input" "out.h5.chk" "another run input" "left untouched" -- mpi2 "$TMORDER" run other.toml
cmp -s out.h5.chk pristine.chk || fail "checkpoint changed by a refused restart"
head -c 2000 pristine.chk >out.h5.chk
cp out.h5.chk truncated.chk
expect_fail 2 "truncated checkpoint" "out.h5.chk" "truncated or corrupt" -- mpi2 "$TMORDER" run ../input.toml
cmp -s out.h5.chk truncated.chk || fail "truncated checkpoint was rewritten"
printf 'not a checkpoint\n' >out.h5.chk
expect_fail 2 "foreign file as checkpoint" "out.h5.chk" "not a tmorder checkpoint" -- mpi2 "$TMORDER" run ../input.toml
rm out.h5.chk
expect_fail 2 "--restart without a checkpoint" "out.h5.chk" "no checkpoint" -- mpi2 "$TMORDER" run ../input.toml --restart
echo keep >out.h5
expect_fail 2 "existing output without --force" "out.h5" "refusing to overwrite" -- mpi2 "$TMORDER" run ../input.toml
[ "$(cat out.h5)" = keep ] || fail "existing output was touched"
[ ! -e out.h5.chk ] || fail "a refused run wrote a checkpoint"
cd ..

# 4. More ranks than temperatures.
mkdir ranks && cd ranks
cat >few.toml <<EOF
$(sed 's/count = 4/count = 2/; s/adaptive = true/adaptive = false/' ../input.toml)
EOF
expect_fail 2 "more ranks than temperatures" "few.toml" "2 temperatures" "3 MPI ranks" -- "$MPIEXEC" -n 3 "${MPIFLAGS[@]}" "$TMORDER" run few.toml
cd ..

# 5. SIGUSR1 and SIGTERM stop a run at the end of a sweep with a checkpoint and exit 0.
mkdir signal && cd signal
write_input long.toml 13 2000000
for sig in USR1 TERM; do
  rm -f out.h5.chk
  echo "check: SIG$sig stops a running job with a checkpoint"
  if [ "$sig" = USR1 ]; then
    "$MPIEXEC" -n 2 "${MPIFLAGS[@]}" "$TMORDER" run long.toml >stdout 2>stderr &  # mpirun forwards SIGUSR1 to the ranks
  else
    "$MPIEXEC" -n 1 "${MPIFLAGS[@]}" "$TMORDER" run long.toml >stdout 2>stderr &  # SIGTERM to the rank itself (as Slurm does)
  fi
  pid=$!
  for _ in $(seq 100); do
    [ -f out.h5.chk ] && break   # the first periodic checkpoint: the run is sampling
    sleep 0.1
  done
  [ -f out.h5.chk ] || { kill -9 $pid; fail "SIG$sig: run did not start"; }
  if [ "$sig" = USR1 ]; then
    kill -USR1 $pid
  else
    kill -TERM "$(pgrep -P $pid tmorder || echo $pid)"
  fi
  rc=0
  wait $pid || rc=$?
  [ "$rc" -eq 0 ] || { cat stderr; fail "SIG$sig: exit status $rc, expected 0"; }
  grep -q "received SIG$sig; checkpoint written" stdout || { cat stdout stderr; fail "SIG$sig: no message"; }
  [ -f out.h5.chk ] || fail "SIG$sig: no checkpoint"
  [ ! -e out.h5 ] || fail "SIG$sig: results written for an unfinished run"
done
# The checkpoint left by SIGTERM (1 rank) resumes.
run_ok "resume after SIGTERM" -- mpi1 "$TMORDER" run long.toml --restart --stop-after-sweeps 5
grep -q "resumed from out.h5.chk" "$SCRATCH/stdout" || { cat "$SCRATCH/stdout"; fail "no resume after SIGTERM"; }
cd ..

echo "PASS: run_restart"
