# Shared set-up and assertions of the command-line contract tests (sourced, not run).
# Expects: "$@" = <tmorder-binary> <repo-root>, and SCRATCH_TAG naming the scratch folder.
# Defines TMORDER, ROOT, SCRATCH (cwd, removed on exit), fail, run_ok, expect_fail.

if [ "$#" -ne 2 ]; then
  echo "usage: $0 <tmorder-binary> <repo-root>" >&2
  exit 2
fi
TMORDER=$1
ROOT=$2
[ -x "$TMORDER" ] || { echo "FAIL: '$TMORDER' is not an executable" >&2; exit 1; }
[ -d "$ROOT/clusters" ] || { echo "FAIL: '$ROOT' is not the repository root (no clusters/)" >&2; exit 1; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/tmorder-cli-${SCRATCH_TAG:-test}.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
cd "$SCRATCH"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

show_stderr() {
  echo "--- stderr:" >&2
  cat "$SCRATCH/stderr" >&2
}

# run_ok DESCRIPTION -- COMMAND...: COMMAND must succeed; its stdout is left in ./stdout.
run_ok() {
  local desc=$1
  shift 2
  echo "check: $desc"
  local rc=0
  "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    show_stderr
    fail "$desc: '$*' exited with $rc, expected success"
  fi
}

# expect_fail CODE DESCRIPTION PATTERN... -- COMMAND...: COMMAND must exit with status
# CODE (non-zero) and its stderr must contain every PATTERN (fixed strings).
expect_fail() {
  local code=$1 desc=$2
  shift 2
  local patterns=()
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    patterns+=("$1")
    shift
  done
  [ "$#" -gt 0 ] || fail "expect_fail '$desc': missing -- before the command"
  shift
  echo "check: $desc"
  local rc=0
  "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || rc=$?
  if [ "$rc" -eq 0 ] || [ "$rc" -ne "$code" ]; then
    show_stderr
    fail "$desc: '$*' exited with $rc, expected $code"
  fi
  local p
  for p in "${patterns[@]}"; do
    if ! grep -qF -- "$p" "$SCRATCH/stderr"; then
      show_stderr
      fail "$desc: stderr lacks '$p'"
    fi
  done
  echo "  ok ($rc): $(head -n 1 "$SCRATCH/stderr")"
}
