#!/usr/bin/env bash
# The diagnosis matrix: the sample service (2 workers, mpagent on each, fresh per scenario) under load, once
# healthy and once per planted fault, with a collector of its own on loopback. Prints which check flagged what
# (a confusion matrix of scenario by check), how many seconds after load started, whether the evidence names
# the right class, site, thread pattern, descriptor kind, worker or rate, and the numbers each check judged by.
#
#   bench/diagnose-matrix.sh                      # 90 s of load per scenario, about 15 minutes
#   bench/diagnose-matrix.sh --seconds 60 --scenarios healthy,contention
#   bench/diagnose-matrix.sh --threshold lock-hotspot.warnBlockedThreads=0.3 --connections 64
#   bench/diagnose-matrix.sh --build              # rebuild first (mvn -B -q package -DskipTests)
#   bench/diagnose-matrix.sh --levels             # each scenario at 300 requests/s per worker, at saturation and
#                                                 # starved (service and load on CPU 0), one matrix each
#
# Load: --rate N requests/s per worker (an open loop, the built-in generator) or --rate saturation (closed loop,
# the default); --starved true pins the service and the load to CPU 0.
# Other options (passed to dev.mpdiag.checks.DiagnoseMatrix): --poll S, --profile P (every scenario),
# --jvm-opts "...", --collector-port P (use a running collector), --out DIR. Writes DIR/matrix.txt (default
# bench/target/diagnose-matrix) and, per scenario, every poll's answer (NAME.polls.jsonl) and the logs.
# Exit code: 0 every fault detected with the right evidence and the healthy run clean, 1 otherwise, 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."

build=false
levels=false
args=()
for a in "$@"; do
  case "$a" in
    --build) build=true ;;
    --levels) levels=true ;;
    *) args+=("$a") ;;
  esac
done

if $build || [[ ! -f collector/target/mpdiag.jar || ! -f sample-service/target/sample-service.jar \
    || ! -f agent/target/mpagent.jar || ! -f collector/target/test-classes/dev/mpdiag/checks/DiagnoseMatrix.class ]]; then
  echo "diagnose-matrix: building (mvn -B -q package -DskipTests)" >&2
  mvn -B -q package -DskipTests
fi

# The driver runs from copies (and copies the jars it starts), so a build during the run cannot swap classes.
snapshot=$(mktemp -d)
trap 'rm -rf "$snapshot"' EXIT
cp collector/target/mpdiag.jar "$snapshot/"
cp -r collector/target/test-classes "$snapshot/"

matrix() {
  java -cp "$snapshot/test-classes:$snapshot/mpdiag.jar" dev.mpdiag.checks.DiagnoseMatrix "$@"
}
if ! $levels; then
  matrix ${args[@]+"${args[@]}"}
  exit
fi
status=0
for level in "rate 300" "saturation" "starved"; do
  case "$level" in
    "rate 300") extra=(--rate 300) ;;
    saturation) extra=(--rate saturation) ;;
    starved) extra=(--rate 300 --starved true) ;;
  esac
  out=bench/target/diagnose-matrix-${level// /-}
  echo "== diagnose-matrix: $level" >&2
  matrix ${args[@]+"${args[@]}"} "${extra[@]}" --out "$out" || status=1
done
exit $status
