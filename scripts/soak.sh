#!/usr/bin/env bash
# Runs the README's test command N times, each on a fresh clone of this repository's HEAD, one
# after another, and prints how many runs were green. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/soak.sh N [--hog] [--keep] [--logs DIR]

Clones this repository's HEAD (committed work only) into N fresh folders beside it
(<repo>/../soak-<stamp>-<i>, so ../shared resolves as it does for CI) and runs the README's
test command in each, one after another, exactly as CI does: `CI=true bash .ci/run`.
Prints each run's result (green/red), its duration and the names of its failing tests, then
"K of N green". Exits 0 only when all N runs are green.

Options:
  --hog        keep every core busy during the runs (one `while :; do :; done` shell per core,
               at nice 0), as a loaded CI machine is; the hogs are killed on exit, whatever
               happens
  --keep       keep the clones (default: each is removed once its run is over)
  --logs DIR   where each run's full log goes (default: <repo>/../soak-<stamp>-logs)
  -h, --help   this text

Interrupted (Ctrl-C, SIGTERM), it stops the run in progress, the hogs and removes the clone;
pods the interrupted tests had started may outlive it (their processes are detached).
EOF
}

runs=
hog=
keep=
logs=
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --hog) hog=1 ;;
    --keep) keep=1 ;;
    --logs)
      [ $# -ge 2 ] || { echo "soak: --logs needs a folder (see --help)" >&2; exit 2; }
      logs=$2
      shift
      ;;
    -*) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      [ -z "$runs" ] || { echo "soak: one run count only, got $runs and $1 (see --help)" >&2; exit 2; }
      runs=$1
      ;;
  esac
  shift
done
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]] || [ "$runs" -gt 100 ]; then
  echo "soak: N must be a whole number from 1 to 100, got '${runs}' (see --help)" >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)
stamp=$(date +%Y%m%d-%H%M%S)
parent=$(dirname "$repo")
logs=${logs:-$parent/soak-$stamp-logs}
mkdir -p "$logs"
logs=$(cd "$logs" && pwd)
if [ -n "$(git -C "$repo" status --porcelain)" ]; then
  echo "soak: note: uncommitted changes in $repo are not part of the runs (HEAD only)"
fi

hog_pids=()
clone=
run_pid=
cleanup() {
  local pid
  if [ -n "$run_pid" ]; then
    echo "soak: interrupted: stopping the run in progress (process group $run_pid)" >&2
    kill -TERM -- "-$run_pid" 2>/dev/null || true
    wait "$run_pid" 2>/dev/null || true
  fi
  for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hog_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$clone" ] && [ -z "$keep" ]; then rm -rf "$clone"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$hog" ]; then
  cores=$(nproc)
  for _ in $(seq "$cores"); do
    sh -c 'while :; do :; done' &
    hog_pids+=("$!")
  done
  echo "soak: CPU hog on $cores cores (pids ${hog_pids[*]})"
fi

echo "soak: $runs run(s) of $(git -C "$repo" log -1 --format='%h %s' "$head")"
echo "soak: logs in $logs"

# The failing tests of a vitest run: the " FAIL " lines of its summary, without colours.
failing_tests() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ *FAIL ' | sed -E 's/^ *FAIL +//; s/ +/ /g' | sort -u || true
}

green=0
for i in $(seq "$runs"); do
  clone=$parent/soak-$stamp-$i
  log=$logs/run-$i.log
  echo "soak: run $i/$runs in $clone"
  start=$SECONDS
  status=0
  # In its own process group (setsid), so an interrupted soak stops the whole run; in the
  # background, so a signal reaches this script's trap at once rather than after the run.
  setsid bash -c 'set -e
    git clone --quiet --no-checkout "$1" "$2"
    git -C "$2" fetch --quiet "$1" HEAD
    git -C "$2" checkout --quiet --detach "$3"
    cd "$2"
    CI=true exec bash .ci/run' soak-run "$repo" "$clone" "$head" >"$log" 2>&1 </dev/null &
  run_pid=$!
  wait "$run_pid" || status=$?
  run_pid=
  took=$((SECONDS - start))
  duration=$(printf '%dm%02ds' $((took / 60)) $((took % 60)))
  if [ "$status" -eq 0 ]; then
    green=$((green + 1))
    echo "soak: run $i: green in $duration ($(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +' | tail -1 | sed -E 's/^ +//'))"
  else
    echo "soak: run $i: RED (exit $status) in $duration; log: $log"
    names=$(failing_tests "$log")
    if [ -n "$names" ]; then
      printf '%s\n' "$names" | sed 's/^/soak:   failed: /'
    else
      echo "soak:   no failing test named; the log ends with:"
      sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -5 | sed 's/^/soak:   | /'
    fi
  fi
  if [ -z "$keep" ]; then rm -rf "$clone"; fi
  clone=
done

echo "soak: $green of $runs green${hog:+ (CPU hog on every core)}"
[ "$green" -eq "$runs" ]
