#!/usr/bin/env bash
# What a misbehaving collector costs the sample service: throughput and p99 with the agent streaming to a
# collector that is absent, hangs, answers 500 or 413, or reads at 1 KB/s, against the same service with no
# agent, measured side by side in one run.
# Usage and output: bench/README.md ("agent-faults.sh"), or bench/agent-faults.sh --help.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=agent-faults
# shellcheck source=bench/lib/common.sh
source "$ROOT/bench/lib/common.sh"

ROUNDS=""
SECONDS_PER_WINDOW=""
MODE=cost
COST_ARGS=()
SETTLE=5
WARMUP=60
WORKERS=2
CONNECTIONS=""
PATH_UNDER_LOAD=/api/orders
MODES=""
AGENT_OPTIONS_TEMPLATE='collector={collector},label.bench=faults'
OUT=""
JAVA="${JAVA:-java}"

usage() {
    cat <<EOF
Usage: bench/agent-faults.sh [options] [-- bench-cost options]

Default (--mode cost): worker CPU per request and p99 at a fixed rate with the agent streaming to a
collector that is absent, hangs, answers 500 or reads at 1 KB/s, against no agent, each at most 1.02x off
as the target. Runs sample-service.jar's bench cost --configs "default default@absent ..."
(bench/README.md, "bench cost"): --rounds (10), --seconds (20), --modes (default "ok absent hang
500 slow"; ok is default against a healthy collector), --connections (32) and --path pass on;
anything after -- goes to bench cost.

--mode closed, the earlier closed-loop measurement: starts the sample service twice (supervise, N
workers each), once without the agent ("off") and once with the agent streaming to a fault-injecting
collector stand-in (agent/src/test/.../FaultyCollector.java, run from agent/target/test-classes), and
warms both up. Then, per round and per mode, it switches the stand-in to the mode, waits --settle
seconds, and measures one wrk window on each service, one after the other (off first in odd rounds,
on first in even ones; the first mode rotates each round). Only the measured service is under load;
the other one idles (its CPU during the window is reported). Prints, per mode, the median
on/off ratio of QPS and p99 over the rounds' pairs, and the spread between off windows as the noise floor.

  --mode M             cost (default) or closed (this closed-loop layout)
  --rounds N           rounds (default 10 in cost mode, else 3)
  --seconds S          measured seconds per window (default 20 in cost mode, else 15)
  --modes "A B ..."    collector modes (default "ok absent hang 500 413 slow"; cost mode has no 413): ok (healthy, for reference), absent (port
                       closed), hang (accepts, never answers), 500, 413 (answered from the headers), slow
                       (reads the body at about 1 KB/s)
  --settle S           seconds between switching the collector and the first window (default $SETTLE)
  --warmup S           load on each service before the rounds (default $WARMUP)
  --workers N          worker JVMs per service (default $WORKERS)
  --connections N      wrk connections (default 64; 32 in cost mode)
  --path P             endpoint under load (default $PATH_UNDER_LOAD)
  --agent-options T    agent options template (default '$AGENT_OPTIONS_TEMPLATE'; {collector} is replaced)
  --out DIR            output directory (default bench/target/agent-faults-<time>)

Environment: JAVA (default java). Needs wrk, curl, python3, and the built jars and agent test classes
(mvn -B -q -o package -DskipTests).
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --seconds) SECONDS_PER_WINDOW="${2%s}"; shift 2 ;;
        --modes) MODES="$2"; shift 2 ;;
        --settle) SETTLE="${2%s}"; shift 2 ;;
        --warmup) WARMUP="${2%s}"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --path) PATH_UNDER_LOAD="$2"; shift 2 ;;
        --agent-options) AGENT_OPTIONS_TEMPLATE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --mode) MODE="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; COST_ARGS=("$@"); break ;;
        *) echo "agent-faults: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$MODE" in
    cost)
        [ "$SETTLE" = 5 ] && [ "$WARMUP" = 60 ] && [ "$WORKERS" = 2 ] \
            && [ "$AGENT_OPTIONS_TEMPLATE" = 'collector={collector},label.bench=faults' ] \
            || die "--settle, --warmup, --workers and --agent-options belong to --mode closed; bench cost takes --warmup after --" 2
        whole_numbers ${ROUNDS:-10} ${SECONDS_PER_WINDOW:-20} ${CONNECTIONS:-32}
        configs=""
        for m in ${MODES:-ok absent hang 500 slow}; do
            case "$m" in
                ok) configs+="default " ;;
                absent|hang|500|slow) configs+="default@$m " ;;
                *) die "unknown mode $m (cost mode: ok absent hang 500 slow)" 2 ;;
            esac
        done
        OUT="${OUT:-$ROOT/bench/target/agent-faults-$(date +%Y%m%d-%H%M%S)}"
        cost_bench --pairs "${ROUNDS:-10}" --window "${SECONDS_PER_WINDOW:-20}s" --connections "${CONNECTIONS:-32}" \
            --path "$PATH_UNDER_LOAD" --configs "${configs% }" "${COST_ARGS[@]}" ;;
    closed) [ ${#COST_ARGS[@]} -eq 0 ] || die "options after -- are bench cost's; they need --mode cost" 2 ;;
    *) die "--mode must be cost or closed" 2 ;;
esac
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
SECONDS_PER_WINDOW=${SECONDS_PER_WINDOW:-15}
MODES=${MODES:-ok absent hang 500 413 slow}
whole_numbers "$ROUNDS" "$SECONDS_PER_WINDOW" "$SETTLE" "$WARMUP" "$WORKERS" "$CONNECTIONS"
read -r -a MODE_LIST <<<"$MODES"
[ ${#MODE_LIST[@]} -gt 0 ] || { echo "agent-faults: no --modes" >&2; exit 2; }
for m in "${MODE_LIST[@]}"; do
    case "$m" in ok|absent|hang|500|413|slow) ;; *) echo "agent-faults: unknown mode $m" >&2; exit 2 ;; esac
done
need_tools wrk curl python3

OUT="${OUT:-$ROOT/bench/target/agent-faults-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT/lib/classes/dev/mpdiag/agent" "$OUT/logs" "$OUT/rounds"
HZ=$(getconf CLK_TCK)

# Copies, so that builds running meanwhile cannot swap a jar or a class under a run.
copy_jars "$OUT/lib" sample-service/target/sample-service.jar agent/target/mpagent.jar
ls "$ROOT"/agent/target/test-classes/dev/mpdiag/agent/FaultyCollector*.class >/dev/null 2>&1 || {
    echo "agent-faults: no agent/target/test-classes/dev/mpdiag/agent/FaultyCollector.class; build with: mvn -B -q -o package -DskipTests" >&2; exit 2; }
cp "$ROOT"/agent/target/test-classes/dev/mpdiag/agent/FaultyCollector*.class "$OUT/lib/classes/dev/mpdiag/agent/"
SERVICE_JAR="$OUT/lib/sample-service.jar"
AGENT_JAR="$OUT/lib/mpagent.jar"

# Everything this script starts, so the trap can stop it.
OFF_PID=""; ON_PID=""; OFF_WORKERS=""; ON_WORKERS=""; COLLECTOR_PID=""; LOAD_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
    stop_pid "$OFF_PID"; stop_pid "$ON_PID"
    # shellcheck disable=SC2086
    reap_workers $OFF_WORKERS $ON_WORKERS
    stop_pid "$COLLECTOR_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The collector stand-in: its mode is whatever the control file says (read every 100 ms).
CONTROL="$OUT/collector-mode"
echo "${MODE_LIST[0]}" >"$CONTROL"
COLLECTOR_PORT=$(free_port)
"$JAVA" -Xmx256m -cp "$OUT/lib/classes" dev.mpdiag.agent.FaultyCollector --port "$COLLECTOR_PORT" \
    --mode "${MODE_LIST[0]}" --control "$CONTROL" >"$OUT/logs/collector.log" 2>&1 &
COLLECTOR_PID=$!
COLLECTOR_URL="http://127.0.0.1:$COLLECTOR_PORT"
for _ in $(seq 1 60); do grep -q '^faulty-collector url=' "$OUT/logs/collector.log" && break; sleep 0.5; done
grep -q '^faulty-collector url=' "$OUT/logs/collector.log" || { echo "agent-faults: the collector stand-in did not start; see $OUT/logs/collector.log" >&2; exit 1; }
CURRENT_MODE=${MODE_LIST[0]}
# set_mode M: switches the stand-in and waits (at most 5 s) for the line it prints at each switch.
set_mode() {
    [ "$1" = "$CURRENT_MODE" ] && return 0
    local before
    before=$(grep -c -- ' -> ' "$OUT/logs/collector.log" || true)
    echo "$1" >"$CONTROL"
    for _ in $(seq 1 50); do
        if [ "$(grep -c -- ' -> ' "$OUT/logs/collector.log" || true)" -gt "$before" ]; then CURRENT_MODE=$1; return 0; fi
        sleep 0.1
    done
    echo "agent-faults: the collector stand-in did not switch to $1; see $OUT/logs/collector.log" >&2
    exit 1
}

# start_service NAME [supervisor args...]: sets SERVICE_PORT, SUPERVISOR and WORKER_PIDS.
start_service() {
    local name=$1
    shift
    start_supervisor "$OUT/logs/service-$name.log" "$WORKERS" "$@"
    SUPERVISOR=$SUPERVISOR_PID
}

# load PORT SECONDS JSON: one wrk run, bounded by timeout, killable by the trap.
load() { wrk_load "$@"; }

OPTS=${AGENT_OPTIONS_TEMPLATE//\{collector\}/$COLLECTOR_URL}
{
    echo "# agent-faults $(date -u +%Y-%m-%dT%H:%M:%SZ) rounds=$ROUNDS seconds=$SECONDS_PER_WINDOW settle=${SETTLE}s warmup=${WARMUP}s modes=\"$MODES\""
    echo "# workers=$WORKERS per service, connections=$CONNECTIONS path=$PATH_UNDER_LOAD agent options: $OPTS"
    echo "# java: $("$JAVA" -version 2>&1 | sed -n 2p); cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/header.txt"

start_service off
OFF_PID=$SUPERVISOR; OFF_PORT=$SERVICE_PORT; OFF_WORKERS=$WORKER_PIDS
start_service on --agent "$AGENT_JAR" --agent-options "$OPTS"
ON_PID=$SUPERVISOR; ON_PORT=$SERVICE_PORT; ON_WORKERS=$WORKER_PIDS
log "off service workers $OFF_WORKERS on :$OFF_PORT; on service workers $ON_WORKERS on :$ON_PORT; collector $COLLECTOR_URL"
log "warming up each service for ${WARMUP}s"
load "$OFF_PORT" "$WARMUP" "$OUT/rounds/warmup-off.json" || log "warm-up of off failed; see $OUT/logs/bench.log"
load "$ON_PORT" "$WARMUP" "$OUT/rounds/warmup-on.json" || log "warm-up of on failed; see $OUT/logs/bench.log"

ROWS="$OUT/rows.tsv"
printf 'round\tmode\tservice\tseq\tqps\tp99_ms\tmean_ms\terrors\tnon2xx\tidle_pct\tmachine_pct\n' >"$ROWS"
SEQ=0
# window ROUND MODE off|on: one measured window on one service; the other one's CPU is its idle cost.
window() {
    local round=$1 mode=$2 which=$3 port idle json i0 i1 m0 m1 s0 s1 t0 t1
    if [ "$which" = off ]; then port=$OFF_PORT; idle="$ON_PID $ON_WORKERS"; else port=$ON_PORT; idle="$OFF_PID $OFF_WORKERS"; fi
    SEQ=$((SEQ + 1))
    json="$OUT/rounds/r$round-$mode-$which.json"
    # shellcheck disable=SC2086
    i0=$(sum_jiffies $idle); read -r m0 s0 < <(machine_jiffies)
    t0=$(date +%s.%N)
    if ! load "$port" "$SECONDS_PER_WINDOW" "$json"; then log "round $round $mode $which: load run failed"; return 0; fi
    t1=$(date +%s.%N)
    # shellcheck disable=SC2086
    i1=$(sum_jiffies $idle); read -r m1 s1 < <(machine_jiffies)
    python3 - "$json" "$round" "$mode" "$which" "$SEQ" "$i0" "$i1" "$t0" "$t1" "$HZ" "$m0" "$m1" "$s0" "$s1" "$(nproc)" >>"$ROWS" <<'EOF'
import json, sys
a = sys.argv[1:]
r = json.load(open(a[0]))
i0, i1 = int(a[5]), int(a[6])
t0, t1, hz = float(a[7]), float(a[8]), int(a[9])
m0, m1, s0, s1, ncpu = map(int, a[10:15])
idle = (i1 - i0) * 1000.0 / hz / (t1 - t0) / 10.0            # % of one core
busy = (s1 - s0) / max(1, m1 - m0) * 100.0 * ncpu            # % of one core, whole machine
print("\t".join([a[1], a[2], a[3], a[4], "%.1f" % r["qps"], "%.2f" % r["p99Ms"], "%.2f" % r["meanMs"],
                 str(r["errors"]), str(r["non2xx"]), "%.2f" % idle, "%.0f" % busy]))
EOF
    log "round $round $mode $which: $(tail -n 1 "$ROWS" | awk -F'\t' '{printf "%s req/s, p99 %s ms, idle service %s%% of a core", $5, $6, $10}')"
}

n=${#MODE_LIST[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    for ((k = 0; k < n; k++)); do
        mode=${MODE_LIST[$(((k + round - 1) % n))]}
        set_mode "$mode"
        sleep "$SETTLE"
        if ((round % 2 == 1)); then window "$round" "$mode" off; window "$round" "$mode" on
        else window "$round" "$mode" on; window "$round" "$mode" off; fi
    done
done
set_mode ok
sleep 2
warnings=$(grep -c 'mpagent: ' "$OUT/logs/service-on.log" || true)

python3 - "$ROWS" "$MODES" <<'EOF'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
modes = sys.argv[2].split()
f = lambda r, k: float(r[k])
print()
print("per window (in order; idle = the other service's CPU, machine = all processes, % of one core):")
for r in sorted(rows, key=lambda r: int(r["seq"])):
    print("  round %s %-6s %-3s %9s req/s  p99 %8s ms  errors %s non-2xx %s  idle %5s%%  machine %4s%%"
          % (r["round"], r["mode"], r["service"], r["qps"], r["p99_ms"], r["errors"], r["non2xx"], r["idle_pct"],
             r["machine_pct"]))

def pair(mode, rnd, svc):
    x = [r for r in rows if r["mode"] == mode and r["round"] == rnd and r["service"] == svc]
    return x[0] if x else None

print()
print("per mode: medians over rounds; on/off = median of the rounds' paired ratios [lowest, highest]")
print("  %-7s %3s %10s %10s %22s %9s %9s %22s %8s" % ("mode", "n", "qps_off", "qps_on", "qps on/off", "p99_off", "p99_on",
                                                     "p99 on/off", "idle_on%"))
for m in modes:
    qr, pr, qon, qoff, pon, poff, idle = [], [], [], [], [], [], []
    for rnd in sorted({r["round"] for r in rows}):
        on, off = pair(m, rnd, "on"), pair(m, rnd, "off")
        if not on or not off:
            continue
        qon.append(f(on, "qps")); qoff.append(f(off, "qps")); pon.append(f(on, "p99_ms")); poff.append(f(off, "p99_ms"))
        qr.append(f(on, "qps") / f(off, "qps")); pr.append(f(on, "p99_ms") / f(off, "p99_ms"))
        idle.append(f(off, "idle_pct"))   # during the off window the agent's service idles
    if not qr:
        continue
    print("  %-7s %3d %10.0f %10.0f %8.3f [%.3f, %.3f] %9.2f %9.2f %8.3f [%.3f, %.3f] %8.2f"
          % (m, len(qr), st.median(qoff), st.median(qon), st.median(qr), min(qr), max(qr), st.median(poff),
             st.median(pon), st.median(pr), min(pr), max(pr), st.median(idle)))

offs = sorted((r for r in rows if r["service"] == "off"), key=lambda r: int(r["seq"]))
q = [f(r, "qps") for r in offs]
p = [f(r, "p99_ms") for r in offs]
if len(q) > 1:
    print()
    cq = [b / a for a, b in zip(q, q[1:])]
    cp = [b / a for a, b in zip(p, p[1:])]
    print("noise floor (off windows, %d): qps spread (max-min)/median %.1f%%, cv %.1f%%; p99 spread %.1f%%, cv %.1f%%"
          % (len(q), (max(q) - min(q)) / st.median(q) * 100, st.stdev(q) / st.mean(q) * 100,
             (max(p) - min(p)) / st.median(p) * 100, st.stdev(p) / st.mean(p) * 100))
    print("  off/off ratio of consecutive off windows: qps median %.3f [%.3f, %.3f]; p99 median %.3f [%.3f, %.3f]"
          % (st.median(cq), min(cq), max(cq), st.median(cp), min(cp), max(cp)))
ons = [r for r in rows if r["service"] == "on"]
print("idle cost: the agent's idle service took median %.2f%% of a core during off windows; the off service %.2f%%"
      " during on windows" % (st.median(f(r, "idle_pct") for r in offs), st.median(f(r, "idle_pct") for r in ons)))
print("machine: median %.0f%% of one core busy during windows (2 cores = 200%%)" % st.median(f(r, "machine_pct") for r in rows))
bad = [r for r in rows if r["errors"] != "0" or r["non2xx"] != "0"]
if bad:
    print("WARNING: errors or non-2xx responses in %d window(s)" % len(bad))
EOF
echo "agent warnings in the on service's log: $warnings (one per outage per worker; first lines:)"
grep 'mpagent: ' "$OUT/logs/service-on.log" | head -n 6 | sed 's/^/  /' || true
echo "collector stand-in, per mode stretch:"
sed 's/^/  /' "$OUT/logs/collector.log"
echo
echo "rows: $ROWS; logs: $OUT/logs"
