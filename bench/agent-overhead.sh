#!/usr/bin/env bash
# What recording costs the sample service: throughput, p99 latency, CPU per request, memory, and the
# collector's CPU, for each recording configuration against no recording at all, in alternating rounds.
# Usage and output: bench/README.md ("agent-overhead.sh"), or bench/agent-overhead.sh --help.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=agent-overhead
# shellcheck source=bench/lib/common.sh
source "$ROOT/bench/lib/common.sh"

ROUNDS=""
DURATION=""
WARMUP=auto
WARMUP_MAX=150
WORKERS=2
CONNECTIONS=""
PATH_UNDER_LOAD=/api/orders
MODE=cost
COST_ARGS=()
CONFIGS=""
OUT=""
PIN=""
JAVA="${JAVA:-java}"
AGENT_OPTIONS_TEMPLATE='collector={collector},profile={profile},label.bench={tag}'

usage() {
    cat <<EOF
Usage: bench/agent-overhead.sh [options] [-- bench-cost options]

Default (--mode cost): what the agent costs per request, at a fixed rate, apart from the collector's cost.
Runs sample-service.jar's bench cost (bench/README.md, "bench cost"): one worker JVM per configuration
plus two without the agent (off and off2, the noise floor), the measured one alone on cpu 1 and the rest
with the collector and the load on cpu 0; per round each at half of off's capacity (open loop) and at
saturation; medians of paired ratios with 95% bootstrap intervals. --rounds (10), --duration (20 s),
--configs (default "default"; off and off2 are always there), --connections (32) and --path pass on;
anything after -- goes to bench cost as it is (e.g. -- --warmup 90s --saturation 8s).

--mode agent|jfr|auto, the earlier closed-loop measurement: starts the sample service (supervise,
N workers) once per configuration per round, warms it up, drives wrk load at it for the measured
window, and stops it; configurations alternate round-robin (the first one
rotates each round), so each sees the same machine. Then prints medians and ratios against "off".

  --rounds N           rounds (default 10 in cost mode, else 5)
  --duration S         measured seconds per run (default 20 in cost mode, else 15)
  --warmup S|auto      load before each measured window, in 5 s steps: S seconds, or auto (default):
                       until the JIT compiler threads used under 5% of the workers' CPU in a step, at
                       least 30 s and at most --warmup-max (default $WARMUP_MAX) s; a worker on one core
                       takes one to two minutes to finish compiling /api/orders
  --workers N          worker JVMs (default $WORKERS)
  --connections N      wrk connections (default 64; 32 in cost mode)
  --path P             endpoint under load (default $PATH_UNDER_LOAD)
  --pin                pin worker i to core i (supervise --pin)
  --mode M             cost (default): per request at a fixed rate, above;
                       agent: the agent records and streams to a collector this script starts;
                       jfr: -XX:StartFlightRecording with the same settings, no agent, no collector;
                       auto: agent when the agent and collector support it, else jfr
  --configs "A B ..."  configurations (default agent: "off default contention leak stock",
                       jfr: "off default stock"); any profiles/NAME.jfc is a configuration, and so is
                       a path to a .jfc file (named after the file), and so is variant:NAME, a line
                       of bench/ablation/variants (a profile with some settings changed); "stock" is the JDK's own
                       default.jfc; "async" (agent mode) is default with profiler=async (async-profiler
                       samples CPU, JFR the rest); "off" records nothing and must come first
  --agent-options T    agent options template (default '$AGENT_OPTIONS_TEMPLATE';
                       {collector}, {profile} and {tag} (round and configuration) are replaced)
  --out DIR            output directory (default bench/target/agent-overhead-<time>)

Environment: JAVA (default java) runs everything. Needs wrk, curl, python3, and the built jars
(mvn -B -q -o package -DskipTests).
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --duration) DURATION="${2%s}"; shift 2 ;;
        --warmup) WARMUP="${2%s}"; shift 2 ;;
        --warmup-max) WARMUP_MAX="${2%s}"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --path) PATH_UNDER_LOAD="$2"; shift 2 ;;
        --pin) PIN="--pin"; shift ;;
        --mode) MODE="$2"; shift 2 ;;
        --configs) CONFIGS="$2"; shift 2 ;;
        --agent-options) AGENT_OPTIONS_TEMPLATE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        --) shift; COST_ARGS=("$@"); break ;;
        *) echo "agent-overhead: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [ "$MODE" = cost ]; then
    [ -z "$PIN" ] && [ "$WORKERS" = 2 ] && [ "$WARMUP" = auto ] && [ "$WARMUP_MAX" = 150 ] || die "--workers, --pin, --warmup and --warmup-max belong to --mode agent|jfr; bench cost takes --warmup after --" 2
    [ "$AGENT_OPTIONS_TEMPLATE" = 'collector={collector},profile={profile},label.bench={tag}' ] || die "--agent-options belongs to --mode agent; in cost mode a configuration is a profile, a .jfc, stock or async" 2
    whole_numbers ${ROUNDS:-10} ${DURATION:-20} ${CONNECTIONS:-32}
    OUT="${OUT:-$ROOT/bench/target/agent-overhead-$(date +%Y%m%d-%H%M%S)}"
    CONFIGS=$(resolve_variants "$OUT/variants" $CONFIGS)
    args=(--pairs "${ROUNDS:-10}" --window "${DURATION:-20}s" --connections "${CONNECTIONS:-32}" --path "$PATH_UNDER_LOAD")
    configs=""
    for c in $CONFIGS; do [ "$c" = off ] || configs+="$c "; done   # bench cost always runs off and off2
    [ -n "$configs" ] && args+=(--configs "${configs% }")
    cost_bench "${args[@]}" "${COST_ARGS[@]}"
fi
[ ${#COST_ARGS[@]} -eq 0 ] || die "options after -- are bench cost's; they need --mode cost" 2
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-15}
[ "$WARMUP" = auto ] || [ -n "${WARMUP##*[!0-9]*}" ] || { echo "agent-overhead: --warmup takes seconds or auto" >&2; exit 2; }
whole_numbers "$ROUNDS" "$DURATION" "$WARMUP_MAX" "$WORKERS" "$CONNECTIONS"
need_tools wrk curl python3 unzip
JAVA_HOME_RUN="$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"
JSTAT="$JAVA_HOME_RUN/bin/jstat"
JCMD="$JAVA_HOME_RUN/bin/jcmd"
JFR_TOOL="$JAVA_HOME_RUN/bin/jfr"
STOCK_JFC="$JAVA_HOME_RUN/lib/jfr/default.jfc"

OUT="${OUT:-$ROOT/bench/target/agent-overhead-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT/lib" "$OUT/logs" "$OUT/rounds" "$OUT/profiles"
CONFIGS=$(resolve_variants "$OUT/variants" $CONFIGS)
HZ=$(getconf CLK_TCK)

# Copies, so that builds running meanwhile cannot swap a jar or a profile under a run.
copy_jars "$OUT/lib" sample-service/target/sample-service.jar
[ -f "$ROOT/agent/target/mpagent.jar" ] && cp "$ROOT/agent/target/mpagent.jar" "$OUT/lib/"
[ -f "$ROOT/collector/target/mpdiag.jar" ] && cp "$ROOT/collector/target/mpdiag.jar" "$OUT/lib/"
cp "$ROOT"/profiles/*.jfc "$OUT/profiles/"
SERVICE_JAR="$OUT/lib/sample-service.jar"
AGENT_JAR="$OUT/lib/mpagent.jar"
COLLECTOR_JAR="$OUT/lib/mpdiag.jar"

# The agent streams when its usage names a collector option, and the collector then has a serve command.
agent_streams() {
    [ -f "$AGENT_JAR" ] && [ -f "$COLLECTOR_JAR" ] || return 1
    "$JAVA" -jar "$AGENT_JAR" --help 2>&1 | grep -q 'collector' || return 1
    "$JAVA" -jar "$COLLECTOR_JAR" serve --help >/dev/null 2>&1
}
case "$MODE" in
    auto) if agent_streams; then MODE=agent; else MODE=jfr; fi ;;
    agent) agent_streams || { echo "agent-overhead: --mode agent, but the agent or the collector cannot stream yet" >&2; exit 2; } ;;
    jfr) ;;
    *) echo "agent-overhead: --mode must be agent, jfr or auto" >&2; exit 2 ;;
esac
if [ -z "$CONFIGS" ]; then
    if [ "$MODE" = agent ]; then CONFIGS="off default contention leak stock"; else CONFIGS="off default stock"; fi
fi
read -r -a CONFIG_LIST <<<"$CONFIGS"
# A configuration given as a path to a .jfc file (a variant being tried) is named after the file.
CUSTOM=" "
for k in "${!CONFIG_LIST[@]}"; do
    c=${CONFIG_LIST[$k]}
    if [[ "$c" == *.jfc ]]; then
        [ -f "$c" ] || { echo "agent-overhead: no such file $c" >&2; exit 2; }
        name=$(basename "$c" .jfc)
        [ -f "$OUT/profiles/$name.jfc" ] && { echo "agent-overhead: $c has the name of a shipped profile; rename it" >&2; exit 2; }
        cp "$c" "$OUT/profiles/$name.jfc"
        CONFIG_LIST[$k]=$name
        CUSTOM+="$name "
        continue
    fi
    if [ "$c" = async ]; then
        [ "$MODE" = agent ] || { echo "agent-overhead: configuration async needs --mode agent" >&2; exit 2; }
        continue
    fi
    [ "$c" = off ] || [ "$c" = stock ] || [ -f "$OUT/profiles/$c.jfc" ] || {
        echo "agent-overhead: no profile profiles/$c.jfc for configuration '$c'" >&2; exit 2; }
done
CONFIGS="${CONFIG_LIST[*]}"
# The agent bundles the profiles when it is built; one changed since is passed as a path, so a run always
# measures the profiles in this tree.
if [ "$MODE" = agent ]; then
    for c in "${CONFIG_LIST[@]}"; do
        case "$c" in off|stock|async) continue ;; esac
        [[ "$CUSTOM" == *" $c "* ]] && continue
        if ! unzip -p "$AGENT_JAR" "dev/mpdiag/agent/profiles/$c.jfc" 2>/dev/null | cmp -s - "$OUT/profiles/$c.jfc"; then
            echo "agent-overhead: mpagent.jar's bundled $c.jfc differs from profiles/$c.jfc; passing the file's path" >&2
            CUSTOM+="$c "
        fi
    done
fi
[ "${CONFIG_LIST[0]}" = off ] || { echo "agent-overhead: the first configuration must be off (the baseline)" >&2; exit 2; }

# Everything this script starts, so the trap can stop it.
SUPERVISOR_PID=""
WORKER_PIDS=""
COLLECTOR_PID=""
LOAD_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
    stop_service
    if [ -n "$COLLECTOR_PID" ]; then
        kill "$COLLECTOR_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$COLLECTOR_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$COLLECTOR_PID" 2>/dev/null || true
        COLLECTOR_PID=""
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The recorder threads of processes, one "tid<TAB>name<TAB>ns on CPU" line each: JFR's own threads and
# the agent's (Linux cuts thread names at 15 characters).
recorder_threads() {
    local pid t comm
    for pid in "$@"; do
        for t in /proc/"$pid"/task/*; do
            comm=$(cat "$t/comm" 2>/dev/null) || continue
            case "$comm" in
                "JFR "*|mpagent*) printf '%s\t%s\t%s\n' "${t##*/}" "$comm" "$(awk '{print $1}' "$t/schedstat" 2>/dev/null)" ;;
            esac
        done
    done
}

# Nanoseconds on CPU of a process's JIT compiler threads.
compiler_ns() {
    local pid=$1 total=0 t comm ns
    for t in /proc/"$pid"/task/*; do
        comm=$(cat "$t/comm" 2>/dev/null) || continue
        case "$comm" in
            "C1 Compiler"*|"C2 Compiler"*)
                ns=$(awk '{print $1}' "$t/schedstat" 2>/dev/null) || ns=0
                total=$((total + ${ns:-0})) ;;
        esac
    done
    echo "$total"
}



# Supervisor arguments of one configuration.
config_args() {
    local c=$1 tag=$2 profile opts
    case "$c" in off) return 0 ;; esac
    if [ "$MODE" = agent ]; then
        if [ "$c" = stock ]; then profile="$STOCK_JFC"
        elif [ "$c" = async ]; then profile="$OUT/profiles/default.jfc"
        elif [[ "$CUSTOM" == *" $c "* ]]; then profile="$OUT/profiles/$c.jfc"
        else profile="$c"; fi
        opts=${AGENT_OPTIONS_TEMPLATE//\{collector\}/$COLLECTOR_URL}
        opts=${opts//\{profile\}/$profile}
        opts=${opts//\{tag\}/$tag}
        [ "$c" = async ] && opts+=",profiler=async"
        printf '%s\n' --agent "$AGENT_JAR" --agent-options "$opts"
    else
        if [ "$c" = stock ]; then profile=default; else profile="$OUT/profiles/$c.jfc"; fi
        mkdir -p "$OUT/jfr-repository"
        printf '%s\n' --jvm-opts "-XX:StartFlightRecording:settings=$profile -XX:FlightRecorderOptions:repository=$OUT/jfr-repository"
    fi
}

start_service() {
    local c=$1 tag=$2 args=()
    mapfile -t args < <(config_args "$c" "$tag")
    start_supervisor "$OUT/logs/$tag.log" "$WORKERS" $PIN "${args[@]}"
}

# One bench run; its JSON goes to $1.
load() { wrk_load "$SERVICE_PORT" "$2" "$1"; }

sum_compiler() { local s=0 p; for p in "$@"; do s=$((s + $(compiler_ns "$p"))); done; echo "$s"; }

ROWS="$OUT/rows.tsv"
printf 'round\tconfig\tqps\tp99_ms\tmean_ms\terrors\tnon2xx\tcpu_us_per_req\trecorder_ms_per_s\trecorder_pct\tworker_cpu_pct\trss_mb\thwm_mb\theap_mb\tmachine_busy_pct\tothers_pct\tloadgen_pct\tcollector_ms_per_agent_s\tcollector_kb_per_agent_s\tcollector_rss_mb\twarmup_qps\trecorder_threads_ms_per_s\n' >"$ROWS"

run_one() {
    local round=$1 c=$2 tag="r${1}-${2}" w j0 j1 m0 m1 s0 s1 cj0=0 cj1=0 cb0=0 cb1=0 t0 t1 json warm=() i
    log "round $round: $c: starting"
    start_service "$c" "$tag"
    log "round $round: $c: workers $WORKER_PIDS up; warming up ($( [ "$WARMUP" = auto ] && echo "auto, at most ${WARMUP_MAX}s" || echo "${WARMUP}s"))"
    local limit=$WARMUP jit_pct cw0 cw1 cc0 cc1 worker_ms
    [ "$WARMUP" = auto ] && limit=$WARMUP_MAX
    for ((i = 0; i < limit; i += 5)); do
        json="$OUT/rounds/$tag-warmup-$i.json"
        # shellcheck disable=SC2086
        { cw0=$(sum_jiffies $WORKER_PIDS); cc0=$(sum_compiler $WORKER_PIDS); }
        load "$json" 5 || continue
        # shellcheck disable=SC2086
        { cw1=$(sum_jiffies $WORKER_PIDS); cc1=$(sum_compiler $WORKER_PIDS); }
        worker_ms=$(( (cw1 - cw0) * 1000 / HZ ))
        jit_pct=$(( worker_ms > 0 ? (cc1 - cc0) / (worker_ms * 10000) : 100 ))
        warm+=("$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["qps"]))' "$json")/jit${jit_pct}%")
        if [ "$WARMUP" = auto ] && [ "$i" -ge 25 ] && [ "$jit_pct" -lt 5 ]; then break; fi
    done
    # A configuration that silently fell back to JFR would report JFR's figures under async-profiler's name.
    if [ "$c" = async ] && grep -q "async-profiler unavailable\|async-profiler failed" "$OUT/logs/$tag.log"; then
        log "round $round: async: async-profiler did not run; see $OUT/logs/$tag.log"
        stop_service; return 0
    fi
    # shellcheck disable=SC2086
    {
        j0=$(sum_jiffies $WORKER_PIDS); recorder_threads $WORKER_PIDS >"$OUT/rounds/$tag-threads-0.tsv"; read -r m0 s0 < <(machine_jiffies)
        [ -n "$COLLECTOR_PID" ] && { cj0=$(proc_jiffies "$COLLECTOR_PID"); cb0=$(du -sb "$OUT/collector-data" | cut -f1); }
        local sj0; sj0=$(proc_jiffies "$SUPERVISOR_PID")
        t0=$(date +%s.%N)
        json="$OUT/rounds/$tag.json"
        if ! load "$json" "$DURATION"; then
            log "round $round: $c: the load run failed; see $OUT/logs/bench.log"
            stop_service; return 0
        fi
        t1=$(date +%s.%N)
        j1=$(sum_jiffies $WORKER_PIDS); recorder_threads $WORKER_PIDS >"$OUT/rounds/$tag-threads-1.tsv"; read -r m1 s1 < <(machine_jiffies)
        [ -n "$COLLECTOR_PID" ] && { cj1=$(proc_jiffies "$COLLECTOR_PID"); cb1=$(du -sb "$OUT/collector-data" | cut -f1); }
        local sj1; sj1=$(proc_jiffies "$SUPERVISOR_PID")
    }
    local rss=0 hwm=0 heap=0 kb
    for w in $WORKER_PIDS; do
        kb=$(awk '/^VmRSS:/{print $2}' "/proc/$w/status" 2>/dev/null || echo 0); rss=$((rss + ${kb:-0}))
        kb=$(awk '/^VmHWM:/{print $2}' "/proc/$w/status" 2>/dev/null || echo 0); hwm=$((hwm + ${kb:-0}))
        # Heap in use (survivors, eden, old) in KB, after the window so the attach does not disturb it.
        kb=$("$JSTAT" -gc "$w" 2>/dev/null | awk 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR==2{print int($h["S0U"]+$h["S1U"]+$h["EU"]+$h["OU"])}') || kb=0
        heap=$((heap + ${kb:-0}))
    done
    local crss=0
    [ -n "$COLLECTOR_PID" ] && crss=$(awk '/^VmRSS:/{print $2}' "/proc/$COLLECTOR_PID/status" 2>/dev/null || echo 0)
    # The last round keeps a copy of each JFR-mode recording, to check which events it holds.
    if [ "$MODE" = jfr ] && [ "$c" != off ] && [ "$round" = "$ROUNDS" ]; then
        set -- $WORKER_PIDS
        "$JCMD" "$1" JFR.dump name=1 filename="$OUT/$c-worker0.jfr" >/dev/null 2>&1 || log "JFR.dump of $c failed"
    fi
    stop_service
    python3 - "$json" "$round" "$c" "$j0" "$j1" "$OUT/rounds/$tag-threads-0.tsv" "$OUT/rounds/$tag-threads-1.tsv" "$m0" "$m1" "$s0" "$s1" "$t0" "$t1" "$rss" "$hwm" "$heap" \
        "$cj0" "$cj1" "$crss" "$sj0" "$sj1" "$WORKERS" "$(getconf CLK_TCK)" "$(nproc)" "$cb0" "$cb1" "${warm[*]:-}" >>"$ROWS" <<'EOF'
import json, sys
a = sys.argv[1:]
r = json.load(open(a[0]))
rnd, cfg = a[1], a[2]
j0, j1 = int(a[3]), int(a[4])
m0, m1, s0, s1 = map(int, a[7:11])

def threads(path):
    out = {}
    for line in open(path):
        tid, name, ns = line.rstrip("\n").split("\t")
        out[tid] = (name, int(ns or 0))
    return out

before, after = threads(a[5]), threads(a[6])
by_name = {}
for tid, (name, ns) in after.items():
    by_name[name] = by_name.get(name, 0) + ns - before.get(tid, (name, 0))[1]
recorder_ns = sum(by_name.values())
t0, t1 = float(a[11]), float(a[12])
rss, hwm, heap = map(int, a[13:16])
cj0, cj1, crss, sj0, sj1, workers, hz, ncpu, cb0, cb1 = map(int, a[16:26])
warm = a[26]
wall = t1 - t0
tick_ms = 1000.0 / hz
worker_ms = (j1 - j0) * tick_ms
cpu_us_per_req = worker_ms * 1000.0 / r["requests"] if r["requests"] else float("nan")
recorder_ms_per_s = recorder_ns / 1e6 / wall / workers
recorder_pct = recorder_ns / 1e6 / worker_ms * 100 if worker_ms else float("nan")
detail = ",".join("%s=%.2f" % (n.replace(" ", "_"), ns / 1e6 / wall / workers)
                  for n, ns in sorted(by_name.items(), key=lambda x: -x[1])) or "-"
busy = (s1 - s0) / max(1, m1 - m0) * 100.0 * ncpu        # percent of one core
loadgen = r.get("loadgenCpuPercent") or 0.0
ours = (worker_ms + (sj1 - sj0) * tick_ms + (cj1 - cj0) * tick_ms) / wall / 10.0 + loadgen
others = max(0.0, busy - ours)
coll = (cj1 - cj0) * tick_ms / workers / wall
print("\t".join([rnd, cfg, "%.1f" % r["qps"], "%.2f" % r["p99Ms"], "%.2f" % r["meanMs"], str(r["errors"]),
                 str(r["non2xx"]), "%.1f" % cpu_us_per_req, "%.2f" % recorder_ms_per_s, "%.2f" % recorder_pct, "%.0f" % (worker_ms / wall / 10 / workers),
                 "%.0f" % (rss / 1024 / workers), "%.0f" % (hwm / 1024 / workers), "%.0f" % (heap / 1024 / workers),
                 "%.0f" % busy, "%.0f" % others, "%.0f" % loadgen, "%.2f" % coll, "%.1f" % ((cb1 - cb0) / 1024 / workers / wall), "%.0f" % (crss / 1024),
                 warm.replace(" ", ",") or "-", detail]))
EOF
    log "round $round: $c: $(tail -n 1 "$ROWS" | cut -f3,4 | awk '{printf "%s req/s, p99 %s ms", $1, $2}')"
    sleep 2
}

{
    echo "# agent-overhead $(date -u +%Y-%m-%dT%H:%M:%SZ) mode=$MODE rounds=$ROUNDS duration=${DURATION}s warmup=$WARMUP (max ${WARMUP_MAX}s)"
    echo "# workers=$WORKERS connections=$CONNECTIONS path=$PATH_UNDER_LOAD pin=${PIN:-no} configs=$CONFIGS"
    echo "# java: $("$JAVA" -version 2>&1 | sed -n 2p); cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/\s\+/ /g')"
    echo "# stock = $STOCK_JFC; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/header.txt"

[ "$MODE" = agent ] && start_collector "$COLLECTOR_JAR"
n=${#CONFIG_LIST[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    for ((k = 0; k < n; k++)); do
        run_one "$round" "${CONFIG_LIST[$(((k + round - 1) % n))]}"
    done
done

python3 - "$ROWS" "$MODE" <<'EOF'
import csv, statistics as st, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
mode = sys.argv[2]
configs = []
for r in rows:
    if r["config"] not in configs:
        configs.append(r["config"])
f = lambda r, k: float(r[k])
by = {c: [r for r in rows if r["config"] == c] for c in configs}
med = lambda c, k: st.median(f(r, k) for r in by[c]) if by[c] else float("nan")
base = "off"
print()
print("per round (qps, p99, worker CPU per request, recorder threads' CPU per worker, other processes' CPU in % of one core):")
for r in rows:
    print("  round %s %-11s %9s req/s  p99 %8s ms  %7s us/req  recorder %5s ms/s  others %4s%%  errors %s non-2xx %s"
          "  warm-up qps/jit %s"
          % (r["round"], r["config"], r["qps"], r["p99_ms"], r["cpu_us_per_req"], r["recorder_ms_per_s"],
             r["others_pct"], r["errors"], r["non2xx"], r["warmup_qps"]))

def per_round_ratio(c, k):
    out = []
    for r in by[c]:
        b = [x for x in by[base] if x["round"] == r["round"]]
        if b and f(b[0], k) > 0:
            out.append(f(r, k) / f(b[0], k))
    return st.median(out) if out else float("nan")

print()
hdr = ("config", "n", "qps", "p99_ms", "qps/off", "(rnd)", "p99/off", "(rnd)", "cpu_us/req", "cpu/off",
       "rec_ms/s", "rec_%cpu", "wrk_cpu%", "rss_MB", "heap_MB")
if mode == "agent":
    hdr += ("coll_ms/agent/s", "stored_KB/agent/s", "coll_rss_MB")
print("  ".join("%-9s" % h for h in hdr))
for c in configs:
    if not by[c]:
        continue
    vals = [c, str(len(by[c])), "%.0f" % med(c, "qps"), "%.1f" % med(c, "p99_ms"),
            "%.3f" % (med(c, "qps") / med(base, "qps")), "%.3f" % per_round_ratio(c, "qps"),
            "%.3f" % (med(c, "p99_ms") / med(base, "p99_ms")), "%.3f" % per_round_ratio(c, "p99_ms"),
            "%.0f" % med(c, "cpu_us_per_req"), "%.3f" % (med(c, "cpu_us_per_req") / med(base, "cpu_us_per_req")),
            "%.2f" % med(c, "recorder_ms_per_s"), "%.2f" % med(c, "recorder_pct"),
            "%.0f" % med(c, "worker_cpu_pct"), "%.0f" % med(c, "rss_mb"), "%.0f" % med(c, "heap_mb")]
    if mode == "agent":
        vals += ["%.2f" % med(c, "collector_ms_per_agent_s"), "%.1f" % med(c, "collector_kb_per_agent_s"),
                 "%.0f" % med(c, "collector_rss_mb")]
    print("  ".join("%-9s" % v for v in vals))

print()
print("recorder threads, ms of CPU per second per worker (median over rounds):")
for c in configs:
    names = {}
    for r in by[c]:
        for part in r["recorder_threads_ms_per_s"].split(","):
            if "=" in part:
                n, v = part.split("=")
                names.setdefault(n, []).append(float(v))
    if names:
        print("  %-11s %s" % (c, ", ".join("%s %.2f" % (n, st.median(v)) for n, v in
                                         sorted(names.items(), key=lambda x: -st.median(x[1])))))

q = [f(r, "qps") for r in by[base]]
p = [f(r, "p99_ms") for r in by[base]]
if len(q) > 1:
    print()
    print("noise (off rounds): qps spread (max-min)/median %.1f%%, cv %.1f%%; p99 spread %.1f%%, cv %.1f%%"
          % ((max(q) - min(q)) / st.median(q) * 100, st.stdev(q) / st.mean(q) * 100,
             (max(p) - min(p)) / st.median(p) * 100, st.stdev(p) / st.mean(p) * 100))
others = [f(r, "others_pct") for r in rows]
print("other processes on the machine during the windows: median %.0f%%, max %.0f%% of one core"
      % (st.median(others), max(others)))
bad = [r for r in rows if r["errors"] != "0" or r["non2xx"] != "0"]
if bad:
    print("WARNING: errors or non-2xx responses in %d run(s): %s"
          % (len(bad), ", ".join("round %s %s" % (r["round"], r["config"]) for r in bad)))
EOF

if [ "$MODE" = jfr ]; then
    echo
    echo "events per second in the last round's recording of worker 0 (jfr summary / recording length):"
    for c in "${CONFIG_LIST[@]}"; do
        f="$OUT/$c-worker0.jfr"
        [ -f "$f" ] || continue
        "$JFR_TOOL" summary "$f" | python3 -c '
import re, sys
name = sys.argv[1]
text = sys.stdin.read()
m_start = re.search(r"Start: (\S+ \S+)", text); m_dur = re.search(r"Duration: (\d+) s", text)
dur = int(m_dur.group(1)) if m_dur else 0
rows = re.findall(r"^ (\S+)\s+(\d+)\s+(\d+)\s*$", text, re.M)
total = sum(int(b) for _, _, b in rows)
top = sorted(((int(n), e, int(b)) for e, n, b in rows if int(n) > 0), reverse=True)
print("  %s: %d s, %.0f KB/s, %d event types present" % (name, dur, total / 1024 / max(1, dur), len(top)))
print("    " + ", ".join("%s %.1f" % (e.replace("jdk.", ""), n / max(1, dur)) for n, e, b in top[:14]))
' "$c"
    done
fi
echo
echo "rows: $ROWS; logs: $OUT/logs"
