# Sourced by the bench scripts. await_workers ADMIN_PORT SERVICE_PORT N SUPERVISOR_PID: waits (at most 60 s) until
# the supervisor reports N live workers and the service answers /api/hello; sets WORKER_PIDS (space-separated).
# Returns 1 if that does not happen or the supervisor exits first.
await_workers() {
    local admin=$1 port=$2 n=$3 supervisor=$4 status
    for _ in $(seq 1 120); do
        kill -0 "$supervisor" 2>/dev/null || return 1
        status=$(curl -s "http://127.0.0.1:$admin/supervisor/status" 2>/dev/null || true)
        WORKER_PIDS=$(printf '%s' "$status" | python3 -c '
import json, sys
try:
    s = json.load(sys.stdin)
except Exception:
    sys.exit(0)
w = s.get("workers", [])
if w and all(x.get("alive") and x.get("pid") for x in w):
    print(" ".join(str(x["pid"]) for x in w))' 2>/dev/null || true)
        if [ -n "$WORKER_PIDS" ] && [ "$(wc -w <<<"$WORKER_PIDS")" -eq "$n" ] \
            && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/hello")" = 200 ]; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}
