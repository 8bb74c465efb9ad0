#!/usr/bin/env bash
# Load: simulated agents replaying real mpagent chunks (one upload per interval each, the agent's headers, seq
# order and retry rule) against one collector pinned to ONE core (taskset -c 0; unpinned, with a notice, where
# taskset is missing). The number of agents doubles each step (a fresh collector per step) until the collector
# falls behind (an upload rejected or retried, a backlog left in the agents, an upload never visible, or
# send-to-visible / cut-to-visible p99 over two intervals), then one or two steps go halfway back. Prints per
# step: agents, uploads/s, MB/s, ingest-to-visible median/p99/max, collector CPU %, and the most agents per core.
#
#   bench/soak-load.sh                                  # 60 s per step, 16, 32, 64, ... up to 1024 agents
#   bench/soak-load.sh --seconds 30 --max-agents 256 --interval 5s
#   bench/soak-load.sh --cpus none                      # collector unpinned
#   bench/soak-load.sh --build                          # rebuild first (mvn -B -q package -DskipTests)
#   bench/soak-load.sh --cluster 2                      # two serve --cluster members, both on CPU 0, one Kafka
#                                                       # broker (kafka_2.13, KRaft) on the driver's cores
#   bench/soak-load.sh --visibility-sample 10           # watch one upload in 10 for visibility: the dashboard-like
#                                                       # queries then cost the collector a tenth as much
#
# Other options (passed to dev.mpdiag.soak.LoadRamp): --start-agents N, --heap SIZE (collector -Xmx, 512m),
# --out DIR (default collector/target/soak-load: collector logs and soak-load.txt). The chunks are captured once
# (a Workload JVM with mpagent at 5 s cuts, about 20 s) into collector/target/recordings/agent-chunks.jfr.
# The driver runs on the other cores (taskset -c 1-N) so the agents' own work does not count against the core
# under test. Exit code: 0 when some step kept up, 1 when even the first fell behind, 2 usage.
set -euo pipefail
cd "$(dirname "$0")/.."

build=false
cluster=false
args=()
for a in "$@"; do
  if [[ "$a" == "--build" ]]; then build=true; else args+=("$a"); fi
  if [[ "$a" == "--cluster" ]]; then cluster=true; fi
done

if $build || [[ ! -f collector/target/mpdiag.jar || ! -f agent/target/mpagent.jar \
    || ! -f collector/target/test-classes/dev/mpdiag/soak/LoadRamp.class ]]; then
  echo "soak-load: building (mvn -B -q package -DskipTests)" >&2
  mvn -B -q package -DskipTests
fi

# The driver runs from copies, so a build during the run cannot swap its classes.
snapshot=$(mktemp -d)
trap 'rm -rf "$snapshot"' EXIT
cp collector/target/mpdiag.jar agent/target/mpagent.jar "$snapshot/"
cp -r collector/target/test-classes "$snapshot/"
classpath="$snapshot/test-classes:$snapshot/mpdiag.jar:$snapshot/mpagent.jar"
if $cluster; then
  # The broker runs from the test classpath (kafka_2.13 is a test dependency, not in mpdiag.jar).
  mvn -B -q dependency:build-classpath -pl collector -Dmdep.includeScope=test -Dmdep.outputFile="$snapshot/test.cp"
  classpath="$classpath:$(cat "$snapshot/test.cp")"
fi

driver=()
cores=$(nproc)
if command -v taskset >/dev/null && (( cores > 1 )); then
  driver=(taskset -c "1-$((cores - 1))")
fi
echo "soak-load: $(date -u +%Y-%m-%dT%H:%M:%SZ), $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1)"
echo "soak-load: driver ${driver[*]:-unpinned}; load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
cd collector
${driver[@]+"${driver[@]}"} java -Xmx1g -cp "$classpath" \
  dev.mpdiag.soak.LoadRamp ${args[@]+"${args[@]}"}
