#!/usr/bin/env bash
# agent-overhead-attach.sh: the agent's cost measured inside the same worker JVMs, off -> on -> off.
#
# agent-overhead.sh compares fresh JVMs per configuration, so each ratio also carries how differently two JVMs
# compiled the same code; on a 2-core machine that alone spreads agent-off QPS by several percent. Here every
# round starts one service without the agent, warms it up, measures it (off), attaches mpagent to every worker
# (java -jar mpagent.jar attach PID), measures the first window after the attach (the transient: starting JFR
# in a running JVM adds JVMTI capabilities, and HotSpot throws away compiled code and compiles again), loads it
# unmeasured for as long again, measures (on), stops the agent's recording with jcmd PID JFR.stop name=mpagent and
# measures a third time (off after). The ratio of a round is on / off-after: the same JVM with the same compiled
# code, recording or not. off-after / off-before shows what the attach left behind plus the noise.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=agent-overhead-attach
# shellcheck source=bench/lib/common.sh
source "$ROOT/bench/lib/common.sh"
JAVA=${JAVA:-java}
JCMD=${JCMD:-jcmd}
ROUNDS=6
DURATION=20
WARMUP=40
SETTLE=5
WORKERS=2
CONNECTIONS=64
PATH_UNDER_LOAD=/api/orders
AGENT_OPTS="profile=default"
OUT=""

usage() {
    cat <<'EOF'
Usage: bench/agent-overhead-attach.sh [options]

Per round: start the sample service without the agent, warm it up, measure off, attach mpagent to every worker,
measure the window just after (the attach transient), load it unmeasured as long again, measure on, stop the
agent's recording (jcmd JFR.stop) and measure off again; prints per-round ratios on / off-after for QPS and
p99 (same JVM, same compiled code), the transient, and their medians.

  --rounds N           rounds (default 6)
  --duration S         seconds per measured window (default 20)
  --warmup S           seconds of load before the first window (default 40)
  --agent-options T    what the agent is attached with besides collector= (default "profile=default";
                       e.g. "profile=default,profiler=async")
  --workers N          worker JVMs (default 2)
  --connections N      wrk connections (default 64)
  --out DIR            output directory (default bench/target/agent-overhead-attach-<time>)

Environment: JAVA, JCMD. Needs wrk, curl, python3 and the built jars (mvn -B -q -o package -DskipTests).
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --agent-options) AGENT_OPTS="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "agent-overhead-attach: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
whole_numbers "$ROUNDS" "$DURATION" "$WARMUP" "$WORKERS" "$CONNECTIONS"
for n in "$ROUNDS" "$DURATION" "$WORKERS" "$CONNECTIONS"; do [ "$n" -gt 0 ] || die "$n is not a positive number" 2; done
need_tools wrk curl python3 "$JCMD"
OUT=${OUT:-$ROOT/bench/target/agent-overhead-attach-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/lib" "$OUT/logs" "$OUT/rounds"
copy_jars "$OUT/lib" agent/target/mpagent.jar collector/target/mpdiag.jar sample-service/target/sample-service.jar
AGENT_JAR=$OUT/lib/mpagent.jar
SERVICE_JAR=$OUT/lib/sample-service.jar
COLLECTOR_JAR=$OUT/lib/mpdiag.jar

SUPERVISOR_PID=""
WORKER_PIDS=""
COLLECTOR_PID=""
LOAD_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
    stop_service
    stop_pid "$COLLECTOR_PID"
}
trap cleanup EXIT INT TERM

start_collector "$COLLECTOR_JAR"

start_service() { start_supervisor "$OUT/logs/$1.log" "$WORKERS"; }

# One wrk run of $2 seconds; its JSON goes to $1.
load() { wrk_load "$SERVICE_PORT" "$2" "$1"; }
figures() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("%.1f %.2f" % (r["qps"], r["p99Ms"]))' "$1"; }

ROWS=$OUT/rows.tsv
printf 'round\toff1_qps\toff1_p99\tattach_qps\tattach_p99\ton_qps\ton_p99\toff2_qps\toff2_p99\n' >"$ROWS"
{
    echo "# agent-overhead-attach $(date -u +%Y-%m-%dT%H:%M:%SZ) rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP}s"
    echo "# workers=$WORKERS connections=$CONNECTIONS path=$PATH_UNDER_LOAD agent options: $AGENT_OPTS"
    echo "# java: $("$JAVA" -version 2>&1 | sed -n 2p); cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/header.txt"

for round in $(seq 1 "$ROUNDS"); do
    tag=r$round
    start_service "$tag"
    log "round $round: workers $WORKER_PIDS up; warming up ${WARMUP}s"
    load "$OUT/rounds/$tag-warmup.json" "$WARMUP"
    load "$OUT/rounds/$tag-off1.json" "$DURATION"
    for w in $WORKER_PIDS; do
        "$JAVA" -jar "$AGENT_JAR" attach "$w" "collector=$COLLECTOR_URL,service=attach-bench,label.bench=$tag,$AGENT_OPTS" \
            >>"$OUT/logs/attach.log" 2>&1
    done
    load "$OUT/rounds/$tag-attach.json" "$DURATION"
    load "$OUT/rounds/$tag-rewarm.json" "$DURATION"
    load "$OUT/rounds/$tag-on.json" "$DURATION"
    for w in $WORKER_PIDS; do
        "$JCMD" "$w" JFR.stop name=mpagent >>"$OUT/logs/attach.log" 2>&1
    done
    sleep "$SETTLE"
    load "$OUT/rounds/$tag-off2.json" "$DURATION"
    read -r q1 p1 < <(figures "$OUT/rounds/$tag-off1.json")
    read -r qa pa < <(figures "$OUT/rounds/$tag-attach.json")
    read -r q2 p2 < <(figures "$OUT/rounds/$tag-on.json")
    read -r q3 p3 < <(figures "$OUT/rounds/$tag-off2.json")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$q1" "$p1" "$qa" "$pa" "$q2" "$p2" "$q3" "$p3" >>"$ROWS"
    log "round $round: off $q1 req/s p99 $p1 ms | just attached $qa req/s p99 $pa ms | on $q2 req/s p99 $p2 ms | off $q3 req/s p99 $p3 ms"
    stop_service
done

python3 - "$ROWS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
f = lambda r, k: float(r[k])
q = [f(r, "on_qps") / f(r, "off2_qps") for r in rows]
p = [f(r, "on_p99") / f(r, "off2_p99") for r in rows]
qa = [f(r, "attach_qps") / f(r, "off1_qps") for r in rows]
pa = [f(r, "attach_p99") / f(r, "off1_p99") for r in rows]
qn = [f(r, "off2_qps") / f(r, "off1_qps") for r in rows]
pn = [f(r, "off2_p99") / f(r, "off1_p99") for r in rows]
print()
print("round  qps on/off-after  p99 on/off-after   just attached/off-before: qps  p99   off-after/off-before: qps  p99")
for i, r in enumerate(rows):
    print("%5s  %16.3f  %16.3f   %30.3f  %5.3f   %26.3f  %5.3f" % (r["round"], q[i], p[i], qa[i], pa[i], qn[i], pn[i]))
def line(name, xs):
    s = sorted(xs)
    return "%-28s median %.3f  min %.3f  max %.3f  (n=%d)" % (name, statistics.median(s), s[0], s[-1], len(s))
print()
print(line("QPS on / off-after", q))
print(line("p99 on / off-after", p))
print(line("transient: QPS just attached", qa))
print(line("transient: p99 just attached", pa))
print(line("QPS off-after / off-before", qn))
print(line("p99 off-after / off-before", pn))
if len(q) >= 3:
    print("spread of the per-round QPS ratio: sd %.3f; of the off/off ratio: sd %.3f" % (statistics.stdev(q), statistics.stdev(qn)))
PY
echo "rows: $ROWS; logs: $OUT/logs"
