# Sourced by agent-overhead.sh, agent-faults.sh and agent-overhead-attach.sh: what the three share. Each sets
# BENCH (its name, for messages), OUT (its output folder), JAVA, and for wrk_load SERVICE_JAR, CONNECTIONS and
# PATH_UNDER_LOAD, before calling these.
# shellcheck source=bench/lib/await-workers.sh
source "$(dirname "${BASH_SOURCE[0]}")/await-workers.sh"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "$BENCH: $1" >&2; exit "${2:-1}"; }

# whole_numbers N...: exits 2 naming the first argument that is not a whole number.
whole_numbers() {
    local n
    for n in "$@"; do
        case "$n" in ''|*[!0-9]*) die "'$n' is not a whole number" 2 ;; esac
    done
}

# need_tools T...: exits 2 naming the first one not on the PATH.
need_tools() {
    local t
    for t in "$@"; do command -v "$t" >/dev/null || die "$t is not on the PATH" 2; done
}

# copy_jars DIR PATH...: copies built files (relative to the checkout) into DIR, so that a build running meanwhile
# cannot swap a jar under a run; exits 2 naming a missing one and how to build it.
copy_jars() {
    local dir=$1 f
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$ROOT/$f" ] || die "no $f; build with: mvn -B -q -o package -DskipTests" 2
        cp "$ROOT/$f" "$dir/"
    done
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# CPU jiffies (utime+stime) of a process, 0 when it is gone; the sum over several.
proc_jiffies() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sum_jiffies() { local s=0 p; for p in "$@"; do s=$((s + $(proc_jiffies "$p"))); done; echo "$s"; }

# "all busy" jiffies of the whole machine, from /proc/stat.
machine_jiffies() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }

# stop_pid PID: SIGTERM, up to 20 s to exit, then SIGKILL.
stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# reap_workers PID...: workers that outlived their supervisor get 10 s, then SIGKILL.
reap_workers() {
    local w
    for w in "$@"; do
        for _ in $(seq 1 20); do kill -0 "$w" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$w" 2>/dev/null; then log "worker $w outlived its supervisor; killing it"; kill -9 "$w" 2>/dev/null || true; fi
    done
}

# stop_service: stops the service start_supervisor started (SUPERVISOR_PID), and any worker it left behind.
stop_service() {
    [ -n "${SUPERVISOR_PID:-}" ] || return 0
    stop_pid "$SUPERVISOR_PID"
    # shellcheck disable=SC2086
    reap_workers ${WORKER_PIDS:-}
    SUPERVISOR_PID=""
    WORKER_PIDS=""
}

# start_supervisor LOG N [supervise args...]: the sample service with N workers on free ports; sets SUPERVISOR_PID,
# SERVICE_PORT, ADMIN_PORT and WORKER_PIDS, or exits naming the log.
start_supervisor() {
    local logfile=$1 n=$2 port admin
    shift 2
    port=$(free_port); admin=$(free_port)
    while [ "$admin" = "$port" ]; do admin=$(free_port); done
    "$JAVA" -jar "$SERVICE_JAR" supervise --workers "$n" --port "$port" --admin-port "$admin" "$@" >"$logfile" 2>&1 &
    SUPERVISOR_PID=$!
    SERVICE_PORT=$port
    ADMIN_PORT=$admin
    await_workers "$admin" "$port" "$n" "$SUPERVISOR_PID" && return 0
    die "the service did not come up; see $logfile"
}

# start_collector JAR: mpdiag serve on a free port with its data under OUT; sets COLLECTOR_PID and COLLECTOR_URL.
start_collector() {
    local port
    port=$(free_port)
    mkdir -p "$OUT/collector-data" "$OUT/logs"
    "$JAVA" -jar "$1" serve --port "$port" --data "$OUT/collector-data" >"$OUT/logs/collector.log" 2>&1 &
    COLLECTOR_PID=$!
    COLLECTOR_URL="http://127.0.0.1:$port"
    for _ in $(seq 1 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$COLLECTOR_URL/" 2>/dev/null)" != 000 ] && { log "collector pid $COLLECTOR_PID on $COLLECTOR_URL"; return 0; }
        kill -0 "$COLLECTOR_PID" 2>/dev/null || break
        sleep 0.5
    done
    die "the collector did not start; see $OUT/logs/collector.log"
}

# wrk_load PORT SECONDS JSON: one closed-loop wrk run at the service, bounded by timeout; LOAD_PID lets a trap stop it.
wrk_load() {
    timeout $(($2 + 60)) "$JAVA" -jar "$SERVICE_JAR" bench run --url "http://127.0.0.1:$1$PATH_UNDER_LOAD" \
        --duration "${2}s" --connections "$CONNECTIONS" --load wrk --json "$3" >>"$OUT/logs/bench.log" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || { LOAD_PID=""; return 1; }
    LOAD_PID=""
}

# The cost per request at a fixed rate (issue 13), the measurement the three scripts' default modes share:
# cost_bench ARGS... runs `sample-service.jar bench cost` from the checkout's built jars with this process and the
# load on cpu 0 and the measured worker on cpu 1 (bench cost moves it there). Its output folder is OUT.
cost_bench() {
    need_tools taskset java
    local j
    for j in sample-service/target/sample-service.jar agent/target/mpagent.jar collector/target/mpdiag.jar; do
        [ -f "$ROOT/$j" ] || die "no $j; build with: mvn -B -q -o package -DskipTests" 2
    done
    [ "$(nproc --all)" -ge 2 ] || die "bench cost needs two cores: one for the measured worker, one for the load" 2
    mkdir -p "$OUT"
    log "$BENCH: bench cost $*; output in $OUT"
    # exec: bench cost copies nothing and stops its own JVMs; this shell has nothing left to clean up.
    exec taskset -c 0 "$JAVA" -jar "$ROOT/sample-service/target/sample-service.jar" bench cost \
        --agent "$ROOT/agent/target/mpagent.jar" --collector-jar "$ROOT/collector/target/mpdiag.jar" --out "$OUT" "$@"
}

# resolve_variants DIR CONFIG...: prints the configurations with each variant:NAME replaced by the path of a
# .jfc written into DIR from its line in bench/ablation/variants (bench/lib/JfcVariant.java makes it from the
# base profile and the line's overrides); exits 2 naming an unknown variant.
resolve_variants() {
    local dir=$1 c name line parts out=()
    shift
    for c in "$@"; do
        if [[ "$c" != variant:* ]]; then out+=("$c"); continue; fi
        name=${c#variant:}
        line=$(awk -v n="$name" '$1 == n { print; exit }' "$ROOT/bench/ablation/variants")
        [ -n "$line" ] || die "no variant '$name' in bench/ablation/variants" 2
        read -r -a parts <<<"$line"
        [ -f "$ROOT/profiles/${parts[1]}.jfc" ] || die "variant $name: no profile profiles/${parts[1]}.jfc" 2
        mkdir -p "$dir"
        "$JAVA" "$ROOT/bench/lib/JfcVariant.java" "$ROOT/profiles/${parts[1]}.jfc" "$dir/$name.jfc" "${parts[@]:2}" >&2 \
            || die "variant $name: could not be made from bench/ablation/variants" 2
        out+=("$(realpath --relative-to=. "$dir/$name.jfc")")
    done
    echo "${out[*]}"
}
