#!/usr/bin/env bash
# jfr-late-start.sh: what starting JFR in a warmed-up, loaded worker costs, without mpagent.
# Starts the sample service (2 workers), warms it up 40 s under wrk, measures 20 s, starts a JFR recording in
# every worker with jcmd (settings: $JFC, default the JDK's "default"; any .jfc path works), measures two 20 s
# windows, stops the recordings, waits 5 s and measures again. Usage: [JFC=profiles/default.jfc] bench/jfr-late-start.sh
set -u
J=$(cd "$(dirname "$0")/.." && pwd)/sample-service/target/sample-service.jar
[ -f "$J" ] || { echo "jfr-late-start: build first (mvn -B -q -o package -DskipTests)" >&2; exit 2; }
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
A=$((P+1))
java -jar $J supervise --workers 2 --port $P --admin-port $A > /tmp/jfrlate-svc.log 2>&1 &
SUP=$!
sleep 8
PIDS=$(curl -s http://127.0.0.1:$A/supervisor/status | python3 -c 'import json,sys; print(" ".join(str(w["pid"]) for w in json.load(sys.stdin)["workers"]))')
run() { java -jar $J bench run --url http://127.0.0.1:$P/api/orders --duration ${2}s --connections 64 --load wrk 2>&1 | grep -o "[0-9.]* req/s.*p99 [0-9.]*" | sed "s/^/$1: /"; }
run warm 40 >/dev/null
run off 20
for w in $PIDS; do jcmd $w JFR.start name=late settings=${JFC:-default} >/dev/null; done
run jfr-0-20s 20
run jfr-20-40s 20
for w in $PIDS; do jcmd $w JFR.stop name=late >/dev/null; done
sleep 5
run off-after 20
kill -TERM $SUP; wait $SUP
