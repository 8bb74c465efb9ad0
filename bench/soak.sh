#!/usr/bin/env bash
# The hardening soak: longer runs of what the test suite checks briefly, one part after another, each
# printing its own figures. docs/reliability.md has the figures of the last run and what each part asserts.
#
#   bench/soak.sh                          # every part, about 50 minutes
#   bench/soak.sh --parts fuzz,crash       # some of them
#   bench/soak.sh --fuzz-requests 30000 --crash-rounds 50
#
# Parts:
#   fuzz        BadInputFuzzIT with --fuzz-requests bad and good requests (default 30000) against a collector JVM
#   crash       CrashDurabilityIT with --crash-rounds kill -9 rounds during ingest (default 50)
#   load        bench/soak-load.sh: simulated agents against one collector core, ramped until it falls behind
#   faults      bench/agent-faults.sh: the sample service with agents streaming to a collector that fails
#               in each way (absent, hang, 500, 413, 1 KB/s), against agent-off, in alternating rounds
#   supervisor  SupervisorFaultsIT --supervisor-runs times (default 5): kill -9 and SIGTERM, /proc checked
#   cluster     ClusterFailoverIT on three Kafka brokers (KRaft, three replicas): three collectors, 12 agents,
#               60 s steady (CPU per upload per member printed), then kill -9 of a collector and of a broker
# Exit code: 0 every part passed, 1 a part failed (the others still run), 2 usage.
set -uo pipefail
cd "$(dirname "$0")/.."

parts="fuzz,crash,load,faults,supervisor,cluster"
fuzz_requests=30000
crash_rounds=50
supervisor_runs=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --parts) parts="$2"; shift 2 ;;
    --fuzz-requests) fuzz_requests="$2"; shift 2 ;;
    --crash-rounds) crash_rounds="$2"; shift 2 ;;
    --supervisor-runs) supervisor_runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done

echo "soak: building (mvn -B -q package -DskipTests)" >&2
mvn -B -q package -DskipTests || exit 1

failed=()
it() { # module, IT class, extra -D options
  local module="$1" test="$2"; shift 2
  rm -rf "$module/target/failsafe-reports"
  mvn -B verify -pl "$module" -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$test" \
      -Dfailsafe.failIfNoSpecifiedTests=false "$@" 2>&1 | grep -v '^\[INFO\] \(Download\|---\|Building\|$\)'
}

for part in ${parts//,/ }; do
  echo
  echo "== soak part $part ($(date -u +%H:%M:%S))"
  start=$SECONDS
  case "$part" in
    fuzz) it collector BadInputFuzzIT -Dmpdiag.fuzz.requests="$fuzz_requests" ;;
    crash) it collector CrashDurabilityIT -Dmpdiag.crash.rounds="$crash_rounds" ;;
    load) bench/soak-load.sh ;;
    faults) bench/agent-faults.sh --rounds 3 --seconds 15 ;;
    cluster) it collector ClusterFailoverIT -Dmpdiag.cluster.brokers=3 -Dmpdiag.cluster.kill-after=60 ;;
    supervisor)
      ok=0
      for ((i = 1; i <= supervisor_runs; i++)); do
        echo "-- supervisor run $i of $supervisor_runs"
        it sample-service SupervisorFaultsIT && ok=$((ok + 1))
      done
      echo "supervisor: $ok of $supervisor_runs runs passed"
      [[ $ok == "$supervisor_runs" ]] ;;
    *) echo "soak: unknown part $part" >&2; exit 2 ;;
  esac
  rc=$?
  echo "== soak part $part: $([[ $rc == 0 ]] && echo passed || echo FAILED) in $((SECONDS - start)) s"
  [[ $rc == 0 ]] || failed+=("$part")
done
echo
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "soak: failed parts: ${failed[*]}"
  exit 1
fi
echo "soak: every part passed"
