#!/usr/bin/env bash
# Builds the class-data-sharing archive (AppCDS) that bin/mpdiag starts with: run at `package` by Maven
# (collector/pom.xml), after the shaded jar is made. A command of mpdiag spends most of a small file's time
# loading and verifying classes (JMC, picocli, Jackson, Javalin); an archive of those classes, mapped at start,
# skips that work. See BENCHMARKS.md ("Start-up") for the measured effect.
#
# How: each command is run once on a small recording with -XX:DumpLoadedClassList, the lists are merged, and a
# static archive is dumped from them. The archive only works for the JVM that dumped it and for the jar at this
# path with this size and time, so it is named after the JVM (see bin/mpdiag), and a JVM that cannot use it
# falls back to loading classes as usual.
#
# Usage: make-cds.sh TARGET_DIR   (MPDIAG_SKIP_CDS=1 or -Dcds.skip=true skips it)
set -uo pipefail
target=$(cd "$1" && pwd)
jar="$target/mpdiag.jar"
out="$target/cds"
# The java on PATH, as bin/mpdiag runs it (the archive is for that JVM, not for the one running Maven).
java_bin=$(readlink -f "$(command -v java)")

log() { echo "[cds] $*" >&2; }

if [ -n "${MPDIAG_SKIP_CDS:-}" ]; then
    log "skipped (MPDIAG_SKIP_CDS is set)"
    exit 0
fi
if [ ! -f "$jar" ]; then
    log "warning: $jar is missing; no archive built"
    exit 0
fi
# The archive's name: the JVM's real path with / turned to _, which bin/mpdiag computes the same way.
name=$(dirname "$(dirname "$java_bin")" | tr '/' '_')
work="$out/train"
rm -rf "$out"
mkdir -p "$work"

run() {
    local list=$1
    shift
    "$java_bin" -XX:DumpLoadedClassList="$work/$list.classes" -XX:TieredStopAtLevel=1 -Dmpdiag.jvm=tuned -jar "$jar" "$@" \
        > "$work/$list.out" 2>&1
}

started=$(date +%s%N)
# A recording to train on: this JVM printing mpdiag's help under JFR's profile settings.
"$java_bin" -XX:StartFlightRecording=filename="$work/train.jfr",settings=profile -jar "$jar" --help \
    > "$work/record.out" 2>&1 || { log "warning: could not make the training recording; no archive built"; exit 0; }
run analyze analyze "$work/train.jfr" || true
run flame flame --type cpu -o "$work/flame.html" "$work/train.jfr" || true
run collapsed flame --type cpu --format collapsed -o "$work/flame.txt" "$work/train.jfr" || true
run diff diff "$work/train.jfr" "$work/train.jfr" || true

# The collector: started on a free loopback port, asked for its dashboard and API once, then stopped.
"$java_bin" -XX:DumpLoadedClassList="$work/serve.classes" -XX:TieredStopAtLevel=1 -jar "$jar" serve \
    --host 127.0.0.1 --port 0 --data "$work/data" > "$work/serve.out" 2>&1 &
serve_pid=$!
port=""
for _ in $(seq 1 100); do
    port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" 2>/dev/null | head -1 | sed 's/.*://')
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -n "$port" ]; then
    for path in / /api/v1/processes /api/v1/checks /metrics; do
        curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port$path" || true
    done
    curl -s -o /dev/null --max-time 10 -F "file=@$work/train.jfr" "http://127.0.0.1:$port/api/v1/uploads" || true
fi
kill "$serve_pid" 2>/dev/null
wait "$serve_pid" 2>/dev/null

sort -u "$work"/*.classes | grep -v '^#' > "$work/all.classes"
if ! "$java_bin" -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$out/$name.jsa" \
        -cp "$jar" > "$work/dump.out" 2>&1; then
    log "warning: dumping the archive failed (see $work/dump.out); bin/mpdiag runs without one"
    rm -f "$out/$name.jsa"
    exit 0
fi
took=$(( ($(date +%s%N) - started) / 1000000 ))
log "built $out/$name.jsa ($(wc -l < "$work/all.classes") classes, $(du -k "$out/$name.jsa" | cut -f1) KB) in ${took} ms"
mv "$work/dump.out" "$out/dump.log"; rm -rf "$work"
