#!/usr/bin/env bash
# CPU collapsed stacks from dense JFR recordings: mpdiag vs async-profiler's jfr-converter vs JMC.
# See bench/README.md. Progress goes to stderr, results to stdout.
#   ROUNDS=5 SIZES="50 300" BENCH_DIR=bench/target bench/analyze-vs-peers.sh
set -euo pipefail

BENCH_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_HOME")
cd "$REPO"

ROUNDS=${ROUNDS:-5}
SIZES=${SIZES:-"50 300"}
BENCH_DIR=${BENCH_DIR:-$BENCH_HOME/target}
MPDIAG_JAR=${MPDIAG_JAR:-$REPO/collector/target/mpdiag.jar}
CONVERTER_GAV=tools.profiler:jfr-converter:4.5
JMC_GAVS="org.openjdk.jmc:flightrecorder:9.1.1 org.openjdk.jmc:common:9.1.1 org.owasp.encoder:encoder:1.2.3 org.lz4:lz4-java:1.8.0"
# -Xmx steps tried when looking for the smallest heap the converter runs in ("power-of-two-ish")
HEAP_LADDER_MB=(32 48 64 96 128 192 256 384 512 768 1024 1536 2048 3072 4096 6144 8192 12288 16384)

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
LIB=$BENCH_DIR/lib
OUT=$BENCH_DIR/out
mkdir -p "$LIB" "$OUT"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- prerequisites ---------------------------------------------------------------------------------

if [ ! -x /usr/bin/time ]; then
    log "/usr/bin/time missing; installing package 'time'"
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q time >&2 || die "could not install 'time' (apt-get install time)"
    else
        sudo apt-get install -y -q time >&2 || die "could not install 'time' (apt-get install time)"
    fi
fi
command -v java >/dev/null || die "java not on PATH"
JAVA_HOME_BIN=$(dirname "$(readlink -f "$(command -v java)")")
JFR_TOOL=$JAVA_HOME_BIN/jfr
JAVAC=$JAVA_HOME_BIN/javac
JAVA_VERSION=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
case "$JAVA_VERSION" in
    17*) ;;
    *) log "warning: default java is $JAVA_VERSION; the recordings are meant to be made on JDK 17" ;;
esac

# fetch GROUP:ARTIFACT:VERSION -> prints the jar's path, copying it from Maven into $LIB if missing
fetch() {
    local g a v
    IFS=: read -r g a v <<<"$1"
    local jar=$LIB/$a-$v.jar
    if [ ! -f "$jar" ]; then
        log "fetching $1 into $LIB"
        # run outside the repo's reactor, so the copy happens once, not once per module
        (cd "$LIB" && mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="$1" -DoutputDirectory="$LIB" >&2) ||
            die "mvn dependency:copy -Dartifact=$1 failed"
    fi
    echo "$jar"
}

CONVERTER_JAR=$(fetch "$CONVERTER_GAV")
# the Main-Class from the manifest (4.2: "Main" in the default package; 4.5: one.convert.Main)
CONVERTER_MAIN=$(unzip -p "$CONVERTER_JAR" META-INF/MANIFEST.MF | tr -d '\r' | awk -F': ' '/^Main-Class/ {print $2}')
[ -n "$CONVERTER_MAIN" ] || die "no Main-Class in $CONVERTER_JAR"

JMC_CP=
for gav in $JMC_GAVS; do
    JMC_CP=${JMC_CP:+$JMC_CP:}$(fetch "$gav")
done
# compiled once: the source launcher would add a javac run to every timed JMC run
JMC_CLASSES=$BENCH_DIR/classes
if [ ! -f "$JMC_CLASSES/JmcAggregate.class" ] || [ "$BENCH_HOME/src/JmcAggregate.java" -nt "$JMC_CLASSES/JmcAggregate.class" ]; then
    log "compiling bench/src/JmcAggregate.java"
    mkdir -p "$JMC_CLASSES"
    "$JAVAC" -d "$JMC_CLASSES" -cp "$JMC_CP" "$BENCH_HOME/src/JmcAggregate.java" >&2
fi

# ---- recordings ------------------------------------------------------------------------------------

# record MB FILE: run DenseWorkload under a dense recording until the JFR repository holds MB megabytes
record() {
    local mb=$1 file=$2
    local partial=${file%.jfr}.partial.jfr repository=$BENCH_DIR/jfr-repository
    rm -rf "$repository" "$partial"
    mkdir -p "$repository"
    log "recording $(basename "$file") (about $mb MB; roughly $((mb * 2)) s or more on a busy 2-core machine)"
    # maxsize: with disk=true and no limit JDK 17 quietly caps a recording at 250 MB.
    # Small fixed TLABs make every TLAB refill an allocation event, as on a service with many threads.
    nice -n 10 java -Xmx512m -XX:TLABSize=8k -XX:-ResizeTLAB \
        -XX:FlightRecorderOptions:repository="$repository" \
        -XX:StartFlightRecording:settings=profile,settings="$BENCH_HOME/dense.jfc",maxsize=64g,filename="$partial",dumponexit=true \
        "$BENCH_HOME/src/DenseWorkload.java" "$mb" $((120 + 10 * mb)) >&2 ||
        die "DenseWorkload failed"
    [ -s "$partial" ] || die "no recording written to $partial"
    mv "$partial" "$file"
    rm -rf "$repository"
}

size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }

# smallest ladder step >= MB
ladder_at_least() {
    local mb=$1 step
    for step in "${HEAP_LADDER_MB[@]}"; do
        if [ "$step" -ge "$mb" ]; then echo "$step"; return; fi
    done
    echo "${HEAP_LADDER_MB[-1]}"
}

# ---- timing ----------------------------------------------------------------------------------------

# timed TOOL CMD...: one run under /usr/bin/time; appends "TOOL wall cpu rss_kb round" to $RESULTS
timed() {
    local tool=$1
    shift
    local tf=$BENCH_DIR/time.txt
    if /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" >/dev/null 2>"$BENCH_DIR/run.err"; then
        tail -n 1 "$tf" | awk -v t="$tool" -v r="$round" '{printf "%s %s %.2f %s %s\n", t, $1, $2 + $3, $4, r}' >>"$RESULTS"
        return 0
    fi
    log "$tool failed: $(first_error "$BENCH_DIR/run.err")"
    return 1
}

# the line of a JVM's stderr that says what went wrong, else its last line
first_error() {
    grep -m 1 -E 'Exception|Error|error' "$1" || tail -n 1 "$1" || true
}

# median COLUMN TOOL: median of a results column over the runs of TOOL
median() {
    awk -v c="$1" -v t="$2" '$1 == t {print $c}' "$RESULTS" | sort -g |
        awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

runs() { awk -v t="$1" '$1 == t' "$RESULTS" | wc -l; }

# sample total and distinct stacks of a collapsed file ("frames count" per line)
collapsed_stats() {
    if [ -s "$1" ]; then
        awk '{s += $NF} END {printf "%d samples, %d stacks", s, NR}' "$1"
    else
        echo "no output"
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f", a / b}'; }

# paired_ratio TOOL_A TOOL_B: median over rounds of wall(A)/wall(B), each pair run minutes apart at most
paired_ratio() {
    awk -v a="$1" -v b="$2" '$1 == a {wa[$5] = $2} $1 == b {wb[$5] = $2}
        END {for (r in wa) if ((r in wb) && wb[r] > 0) print wa[r] / wb[r]}' "$RESULTS" | sort -g |
        awk '{v[NR] = $1} END {if (NR == 0) print "n/a"; else printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# converter_cmd XMX_MB FILE OUTFILE: sets CMD to the converter's command line for collapsed output.
# No mode flag: --cpu keeps only async-profiler's own "default" thread state, which JDK samples lack.
converter_cmd() {
    CMD=(java "-Xmx$1m" -cp "$CONVERTER_JAR" "$CONVERTER_MAIN" -o collapsed "$2" "$3")
}

# smallest ladder heap the converter completes FILE with; prints "MIN FAILED_BELOW" (FAILED_BELOW may be -)
converter_min_heap() {
    local file=$1 mb=$2 out=$OUT/heap-probe.collapsed
    local i start=0 n=${#HEAP_LADDER_MB[@]} ok=-1 failed=- limit=600
    local guess
    guess=$(ladder_at_least $((mb * 2)))
    for ((i = 0; i < n; i++)); do [ "${HEAP_LADDER_MB[$i]}" = "$guess" ] && start=$i; done
    probe() { # INDEX -> 0 if it succeeds
        local x=${HEAP_LADDER_MB[$1]} t0 t1
        t0=$(date +%s)
        rm -f "$out"
        converter_cmd "$x" "$file" "$out"
        if timeout "$limit" "${CMD[@]}" >/dev/null 2>&1 && [ -s "$out" ]; then
            t1=$(date +%s)
            # a failing probe may thrash in GC before it throws; bound it by the successful run's time
            limit=$(((t1 - t0) * 5 + 30))
            log "  converter -Xmx${x}m: ok"
            return 0
        fi
        log "  converter -Xmx${x}m: failed"
        return 1
    }
    i=$start
    while [ "$i" -lt "$n" ]; do
        if probe "$i"; then ok=$i; break; fi
        failed=${HEAP_LADDER_MB[$i]}
        i=$((i + 1))
    done
    [ "$ok" -ge 0 ] || { echo "- -"; return; }
    if [ "$ok" = "$start" ]; then
        i=$((start - 1))
        while [ "$i" -ge 0 ]; do
            if probe "$i"; then ok=$i; else failed=${HEAP_LADDER_MB[$i]}; break; fi
            i=$((i - 1))
        done
    fi
    echo "${HEAP_LADDER_MB[$ok]} $failed"
}

# ---- main ------------------------------------------------------------------------------------------

echo "# mpdiag analyze-vs-peers  $(date -u +%Y-%m-%dT%H:%M:%SZ)  host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# java $JAVA_VERSION; converter $CONVERTER_GAV (main class $CONVERTER_MAIN); JMC 9.1.1; rounds $ROUNDS, medians; MB = 2^20 bytes"

for mb in $SIZES; do
    file=$BENCH_DIR/dense-${mb}mb.jfr
    [ -f "$file" ] || record "$mb" "$file"
    log "using $(basename "$file") ($(size_mb "$file") MB)"
    summary=$file.summary.txt
    if [ ! -s "$summary" ] || [ "$file" -nt "$summary" ]; then
        log "jfr summary $(basename "$file")"
        "$JFR_TOOL" summary "$file" >"$summary"
    fi
    chunks=$(awk '/Chunks:/ {print $2}' "$summary")
    exec_samples=$(awk '$1 == "jdk.ExecutionSample" {print $2}' "$summary")
    native_samples=$(awk '$1 == "jdk.NativeMethodSample" {print $2}' "$summary")
    events=$(awk '$1 ~ /^jdk\./ && $1 != "jdk.CheckPoint" && $1 != "jdk.Metadata" {s += $2} END {print s}' "$summary")

    size=$(size_mb "$file")
    mpdiag_xmx=${MPDIAG_XMX:-$(if [ "$mb" -le 100 ]; then echo 256; else echo 512; fi)}
    jmc_xmx=${JMC_XMX:-$(ladder_at_least $((mb * 12 > 2048 ? mb * 12 : 2048)))}

    log "warming the page cache"
    cat "$file" >/dev/null

    # A: mpdiag, only when its CLI exists and handles this contract
    mpdiag_state=on
    mpdiag_out=$OUT/dense-${mb}mb.mpdiag.collapsed
    rm -f "$mpdiag_out"
    # mpdiag as users run it (bin/mpdiag, which picks the JIT setting), and the bare jar with the JVM's defaults
    mpdiag_cmd=(env "MPDIAG_JAVA_OPTS=-Xmx${mpdiag_xmx}m" "$REPO/bin/mpdiag" flame "$file" --type cpu --format collapsed -o "$mpdiag_out")
    # java -jar as a user types it: analyze, flame and diff then start a second JVM with bin/mpdiag's flags
    # (dev.mpdiag.cli.Launch); mpdiag-jar1 keeps the command in the first JVM, with the JVM's defaults
    mpdiag_jar_cmd=(java "-Xmx${mpdiag_xmx}m" -jar "$MPDIAG_JAR" flame "$file" --type cpu --format collapsed -o "$mpdiag_out")
    mpdiag_jar1_cmd=(env MPDIAG_NO_RELAUNCH=1 "${mpdiag_jar_cmd[@]}")
    # bin/mpdiag without its class-data-sharing archive, to show what the archive is worth
    mpdiag_nocds_cmd=(env "MPDIAG_NO_CDS=1" "${mpdiag_cmd[@]:1}")
    if [ ! -f "$MPDIAG_JAR" ]; then
        mpdiag_state="skipped: $MPDIAG_JAR not built (mvn -q -pl collector -am package -DskipTests)"
    elif log "checking that mpdiag.jar runs 'flame' (untimed)" &&
        ! { "${mpdiag_cmd[@]}" >/dev/null 2>"$BENCH_DIR/run.err" && [ -s "$mpdiag_out" ]; }; then
        mpdiag_state="skipped: 'mpdiag.jar flame' failed: $(first_error "$BENCH_DIR/run.err")"
    fi
    [ "$mpdiag_state" = on ] || log "mpdiag $mpdiag_state"

    # B: the converter's heap, found before timing; timed with twice the minimum
    if [ -n "${CONVERTER_XMX:-}" ]; then
        conv_min=- conv_failed=-
        conv_xmx=$CONVERTER_XMX
    else
        log "finding the converter's smallest -Xmx"
        read -r conv_min conv_failed < <(converter_min_heap "$file" "$mb")
        [ "$conv_min" != - ] || die "the converter failed on $file even with -Xmx${HEAP_LADDER_MB[-1]}m"
        conv_xmx=$(ladder_at_least $((conv_min * 2)))
    fi
    conv_out=$OUT/dense-${mb}mb.converter.collapsed
    jmc_out=$OUT/dense-${mb}mb.jmc.collapsed

    jmc_note="jmc: no successful run"
    RESULTS=$BENCH_DIR/results-${mb}mb.txt
    : >"$RESULTS"
    for ((round = 1; round <= ROUNDS; round++)); do
        log "dense-${mb}mb round $round/$ROUNDS"
        timed cat cat "$file" || true
        if [ "$mpdiag_state" = on ]; then
            timed mpdiag "${mpdiag_cmd[@]}" || true
            timed mpdiag-jar "${mpdiag_jar_cmd[@]}" || true
            timed mpdiag-jar1 "${mpdiag_jar1_cmd[@]}" || true
            timed mpdiag-nocds "${mpdiag_nocds_cmd[@]}" || true
        fi
        converter_cmd "$conv_xmx" "$file" "$conv_out"
        timed converter "${CMD[@]}" || true
        if timed jmc java "-Xmx${jmc_xmx}m" -cp "$JMC_CLASSES:$JMC_CP" JmcAggregate "$file" "$jmc_out"; then
            jmc_note=$(grep '^jmc:' "$BENCH_DIR/run.err" | tail -n 1 || true)
        fi
    done

    echo
    echo "== $(basename "$file"): $size MB, $chunks chunks, $events events," \
        "jdk.ExecutionSample $exec_samples, jdk.NativeMethodSample ${native_samples:-0} =="
    printf "%-12s %8s %8s %8s %9s %5s  %s\n" tool wall_s cpu_s rss_MB MB/s runs -Xmx
    for tool in cat mpdiag mpdiag-nocds mpdiag-jar mpdiag-jar1 converter jmc; do
        n=$(runs "$tool")
        case $tool in
            cat) xmx="(page cache warm, for scale)" ;;
            mpdiag) xmx="${mpdiag_xmx}m (bin/mpdiag)"; [ "$mpdiag_state" = on ] || xmx="$mpdiag_state" ;;
            mpdiag-nocds) xmx="${mpdiag_xmx}m (bin/mpdiag, MPDIAG_NO_CDS=1)"; [ "$mpdiag_state" = on ] || xmx="$mpdiag_state" ;;
            mpdiag-jar) xmx="${mpdiag_xmx}m (java -jar: a second, tuned JVM)"; [ "$mpdiag_state" = on ] || xmx="$mpdiag_state" ;;
            mpdiag-jar1) xmx="${mpdiag_xmx}m (java -jar, MPDIAG_NO_RELAUNCH=1: one JVM, default JIT)"; [ "$mpdiag_state" = on ] || xmx="$mpdiag_state" ;;
            converter) xmx="${conv_xmx}m" ;;
            jmc) xmx="${jmc_xmx}m" ;;
        esac
        if [ "$n" -eq 0 ]; then
            printf "%-12s %8s %8s %8s %9s %5s  %s\n" "$tool" - - - - 0 "$xmx"
            continue
        fi
        wall=$(median 2 "$tool")
        cpu=$(median 3 "$tool")
        rss=$(median 4 "$tool")
        awk -v t="$tool" -v w="$wall" -v c="$cpu" -v r="$rss" -v s="$size" -v n="$n" -v x="$xmx" \
            'BEGIN {mbs = w > 0 ? sprintf("%.1f", s / w) : sprintf(">%.0f", s / 0.01)  # time(1) counts in 10 ms
                    printf "%-12s %8.2f %8.2f %8.0f %9s %5d  %s\n", t, w, c, r / 1024, mbs, n, x}'
    done
    for tool in cat mpdiag mpdiag-nocds mpdiag-jar mpdiag-jar1 converter jmc; do
        [ "$(runs "$tool")" -eq 0 ] || echo "  $tool wall per run: $(awk -v t="$tool" '$1 == t {printf "%s ", $2}' "$RESULTS")"
    done
    mp_wall=$(median 2 mpdiag)
    conv_wall=$(median 2 converter)
    jmc_wall=$(median 2 jmc)
    echo "wall(converter)/wall(mpdiag) = $(ratio "$conv_wall" "$mp_wall") (median of per-round ratios $(paired_ratio converter mpdiag))" \
        "  wall(converter)/wall(mpdiag-jar) = $(ratio "$conv_wall" "$(median 2 mpdiag-jar)") ($(paired_ratio converter mpdiag-jar))" \
        "  wall(converter)/wall(mpdiag-jar1) = $(ratio "$conv_wall" "$(median 2 mpdiag-jar1)") ($(paired_ratio converter mpdiag-jar1))" \
        "  wall(mpdiag-nocds)/wall(mpdiag) = $(ratio "$(median 2 mpdiag-nocds)" "$mp_wall") ($(paired_ratio mpdiag-nocds mpdiag))" \
        "  wall(jmc)/wall(mpdiag) = $(ratio "$jmc_wall" "$mp_wall") ($(paired_ratio jmc mpdiag))" \
        "  wall(jmc)/wall(converter) = $(ratio "$jmc_wall" "$conv_wall") ($(paired_ratio jmc converter))"
    if [ "$conv_min" != - ]; then
        echo "converter: smallest -Xmx that completes: ${conv_min}m ($([ "$conv_failed" = - ] && echo "the smallest step tried" ||
            echo "fails at ${conv_failed}m")); timed with ${conv_xmx}m"
    fi
    echo "jmc (last run): ${jmc_note#jmc: } (timed with -Xmx${jmc_xmx}m; live_heap_mb is the heap in use after loading, after a GC)"
    echo "samples: mpdiag $([ "$mpdiag_state" = on ] && collapsed_stats "$mpdiag_out" || echo skipped);" \
        "converter $(collapsed_stats "$conv_out") (counts NativeMethodSample too);" \
        "jmc $(collapsed_stats "$jmc_out")"
done
echo
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
