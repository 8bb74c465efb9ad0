package dev.mpdiag.engine;

import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkParser;
import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.EventView;
import dev.mpdiag.jfr.JfrType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns JFR's periodic and GC events into time series, the GC summary and JVM identity. These events are
 * few (about one per second each), so clarity wins over the allocation-free style of the sample path.
 */
final class PeriodicEvents {
    /** Field value to series value: a plain long, a float/double fraction to percent, or raw. */
    private enum Conv { LONG, DOUBLE, PERCENT }

    private final ChunkParser parser;
    private final Summary summary;
    private final ChunkHeader header;
    private final ConstantPools pools;

    // The agent sends its top 5 every 5 s; a bound protects the summary from a sender with endless patterns.
    static final int MAX_PATH_PATTERNS = 32;
    private int pathPatterns;

    PeriodicEvents(ChunkParser parser, Summary summary) {
        this.parser = parser;
        this.summary = summary;
        this.header = parser.header();
        this.pools = parser.pools();
    }

    void register() {
        cpuLoad();
        gauge("jdk.ThreadContextSwitchRate", "switchRate", "os.contextSwitchRate", "switches/s", Conv.DOUBLE);
        gauge("jdk.JavaThreadStatistics", "activeCount", "threads.active", "threads", Conv.LONG);
        gauge("jdk.JavaThreadStatistics", "daemonCount", "threads.daemon", "threads", Conv.LONG);
        gauge("jdk.MetaspaceSummary", "metaspace.used", "metaspace.used", "bytes", Conv.LONG);
        classes();
        heap();
        heapConfiguration();
        garbageCollection();
        safepoints();
        processResources();
        agentCost();
        fdPathPatterns();
        jvmInformation();
    }

    /** Only who the process is: enough to group chunks by process when no series are wanted. */
    void registerIdentity() {
        jvmInformation();
    }

    private long millis(EventView e, int startSlot) {
        return header.ticksToNanos(e.getLong(startSlot)) / 1_000_000L;
    }

    private double value(EventView e, int slot, Conv conv) {
        return switch (conv) {
            case LONG -> e.getLong(slot);
            case DOUBLE -> e.getDouble(slot);
            case PERCENT -> e.getDouble(slot) * 100.0;
        };
    }

    private void gauge(String event, String field, String series, String unit, Conv conv) {
        EventView v = view(event);
        if (v == null || v.slot(field) < 0) {
            return;
        }
        int time = v.slot("startTime");
        int slot = v.slot(field);
        Series out = summary.series(series, unit, Series.Kind.GAUGE);
        chain(event, e -> out.add(millis(e, time), value(e, slot, conv)));
    }

    // Several series come from one event type; the parser takes one handler per type, so each type gets
    // a dispatcher over the handlers chained to it.
    private final Map<String, List<ChunkParser.Handler>> handlers = new HashMap<>();

    /** The view of an event type (null when the chunk lacks it), with its dispatcher registered. */
    private EventView view(String event) {
        List<ChunkParser.Handler> list = handlers.computeIfAbsent(event, k -> new ArrayList<>());
        return parser.on(event, e -> {
            for (ChunkParser.Handler each : list) {
                each.handle(e);
            }
        });
    }

    private void chain(String event, ChunkParser.Handler h) {
        handlers.get(event).add(h);
    }

    private void cpuLoad() {
        EventView v = view("jdk.CPULoad");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int user = v.slot("jvmUser");
        int sys = v.slot("jvmSystem");
        int machine = v.slot("machineTotal");
        Series jvm = summary.series("cpu.jvm", "%", Series.Kind.GAUGE);
        Series total = summary.series("cpu.machine", "%", Series.Kind.GAUGE);
        chain("jdk.CPULoad", e -> {
            long ms = millis(e, t);
            jvm.add(ms, (e.getDouble(user) + e.getDouble(sys)) * 100.0);
            total.add(ms, e.getDouble(machine) * 100.0);
        });
    }

    private void classes() {
        EventView v = view("jdk.ClassLoadingStatistics");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int loaded = v.slot("loadedClassCount");
        int unloaded = v.slot("unloadedClassCount");
        Series out = summary.series("classes.loaded", "classes", Series.Kind.GAUGE);
        chain("jdk.ClassLoadingStatistics", e -> out.add(millis(e, t), e.getLong(loaded) - e.getLong(unloaded)));
    }

    private void heap() {
        EventView v = view("jdk.GCHeapSummary");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int when = v.slot("when");
        int used = v.slot("heapUsed");
        int committed = v.slot("heapSpace.committedSize");
        int reserved = v.slot("heapSpace.reservedSize");
        JfrType whenType = when >= 0 && v.isConstantPool(when) ? v.slotType(when) : null;
        Series all = summary.series("heap.used", "bytes", Series.Kind.GAUGE);
        Series afterGc = summary.series("heap.afterGc", "bytes", Series.Kind.GAUGE);
        Series committedSeries = summary.series("heap.committed", "bytes", Series.Kind.GAUGE);
        chain("jdk.GCHeapSummary", e -> {
            long ms = millis(e, t);
            all.add(ms, e.getLong(used));
            if (committed >= 0) {
                committedSeries.add(ms, e.getLong(committed));
            }
            if (reserved >= 0 && !heapConfigured) {
                summary.jvm.maxHeapBytes = e.getLong(reserved);
            }
            Object w = whenType == null ? null : pools.field(whenType, e.getLong(when), "when");
            if ("After GC".equals(w)) {
                afterGc.add(ms, e.getLong(used));
            }
        });
    }

    // The configured maximum wins over the reserved heap, whichever event comes first in the chunk.
    private boolean heapConfigured;

    private void heapConfiguration() {
        EventView v = view("jdk.GCHeapConfiguration");
        if (v == null || v.slot("maxSize") < 0) {
            return;
        }
        int max = v.slot("maxSize");
        chain("jdk.GCHeapConfiguration", e -> {
            heapConfigured = true;
            summary.jvm.maxHeapBytes = e.getLong(max);
        });
    }


    /** jdk.GarbageCollection names of collections that only collect the young generation. */
    static final Set<String> YOUNG_COLLECTORS = Set.of("G1New", "ParallelScavenge", "DefNew",
            "ParNew", "ZGC Minor", "Shenandoah Young");

    private void garbageCollection() {
        EventView v = view("jdk.GarbageCollection");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int name = v.slot("name");
        int sum = v.slot("sumOfPauses");
        int longest = v.slot("longestPause");
        int duration = v.slot("duration");
        JfrType nameType = name >= 0 && v.isConstantPool(name) ? v.slotType(name) : null;
        Series pauses = summary.series("gc.pause", "ns/s", Series.Kind.SUM);
        Series oldCycles = summary.series(Summary.OLD_CYCLE_SERIES, "collections", Series.Kind.GAUGE);
        chain("jdk.GarbageCollection", e -> {
            Object n = nameType == null ? null : pools.field(nameType, e.getLong(name), "name");
            String collector = n instanceof String s ? s : null;
            long pause = header.durationToNanos(e.getLong(sum));
            summary.gc.add(collector, pause, header.durationToNanos(e.getLong(longest)));
            long start = millis(e, t);
            pauses.add(Math.floorDiv(start, 1000) * 1000, pause);
            summary.pauses.add(Pauses.Kind.GC, start, pause);
            if (collector != null && !YOUNG_COLLECTORS.contains(collector)) {
                long end = start + (duration < 0 ? 0 : header.durationToNanos(e.getLong(duration)) / 1_000_000L);
                oldCycles.add(end, 1);
            }
        });
    }

    // Off in the JDK's default settings; when a recording has them they go over the heatmap beside GC pauses.
    private void safepoints() {
        EventView v = view("jdk.SafepointBegin");
        if (v == null || v.slot("duration") < 0) {
            return;
        }
        int t = v.slot("startTime");
        int duration = v.slot("duration");
        chain("jdk.SafepointBegin", e -> summary.pauses.add(Pauses.Kind.SAFEPOINT, millis(e, t),
                header.durationToNanos(e.getLong(duration))));
    }

    // mpdiag.ProcessResources, written by our agent: every long field becomes a "proc.<field>" gauge.
    private void processResources() {
        EventView v = view("mpdiag.ProcessResources");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        for (String field : new String[] {"fdTotal", "fdFile", "fdSocket", "fdPipe", "fdOther", "fdLimit", "threads",
                "ctxVoluntary", "ctxInvoluntary", "rssBytes"}) {
            int slot = v.slot(field);
            if (slot >= 0) {
                String unit = field.startsWith("fd") ? "fds" : field.startsWith("ctx") ? "switches" : field.equals("rssBytes") ? "bytes" : "threads";
                Series out = summary.series("proc." + field, unit, Series.Kind.GAUGE);
                chain("mpdiag.ProcessResources", e -> {
                    long value = e.getLong(slot);
                    if (value >= 0) {
                        out.add(millis(e, t), value);
                    }
                });
            }
        }
    }

    /**
     * mpdiag.AgentCost, written by our agent before each cut: the CPU of its threads and JFR's over the interval as
     * per-second sums (so a whole file's share is their total over the process's), the share as a gauge in percent,
     * and the bytes shipped per second.
     */
    private void agentCost() {
        EventView v = view("mpdiag.AgentCost");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int[] cpu = {v.slot("agentCpu"), v.slot("jfrCpu"), v.slot("processCpu")};
        int share = v.slot("cpuShare");
        int shipped = v.slot("shippedPerSecond");
        if (cpu[0] < 0 || cpu[1] < 0 || cpu[2] < 0 || share < 0) {
            return;
        }
        Series own = summary.series(Summary.AGENT_OWN_CPU, "ns", Series.Kind.SUM);
        Series jfr = summary.series(Summary.AGENT_JFR_CPU, "ns", Series.Kind.SUM);
        Series process = summary.series(Summary.AGENT_PROCESS_CPU, "ns", Series.Kind.SUM);
        Series percent = summary.series("agent.cpuShare", "%", Series.Kind.GAUGE);
        Series rate = shipped < 0 ? null : summary.series("agent.shippedPerSecond", "bytes/s", Series.Kind.GAUGE);
        chain("mpdiag.AgentCost", e -> {
            long at = millis(e, t);
            long processCpu = e.getLong(cpu[2]);
            if (processCpu <= 0) {
                return; // the process's CPU was unknown: no share can be taken of it
            }
            long second = Math.floorDiv(at, 1000) * 1000;
            own.add(second, e.getLong(cpu[0]));
            jfr.add(second, e.getLong(cpu[1]));
            process.add(second, processCpu);
            percent.add(at, e.getDouble(share) * 100.0);
            if (rate != null) {
                rate.add(at, e.getLong(shipped));
            }
        });
    }

    /**
     * mpdiag.FdPathPattern, written by our agent for its few biggest path patterns every 5 s: one
     * "fd.path:PATTERN" gauge per pattern, at most {@link #MAX_PATH_PATTERNS} per chunk.
     */
    private void fdPathPatterns() {
        EventView v = view("mpdiag.FdPathPattern");
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int pattern = v.slot("pattern");
        int count = v.slot("count");
        if (pattern < 0 || count < 0) {
            return;
        }
        chain("mpdiag.FdPathPattern", e -> {
            String p = e.getString(pattern);
            if (p == null) {
                return;
            }
            Series s = summary.seriesOrNull(Summary.FD_PATH_SERIES + p);
            if (s == null) {
                if (++pathPatterns > MAX_PATH_PATTERNS) {
                    return;
                }
                s = summary.series(Summary.FD_PATH_SERIES + p, "fds", Series.Kind.GAUGE);
            }
            s.add(millis(e, t), e.getLong(count));
        });
    }

    private void jvmInformation() {
        EventView v = view("jdk.JVMInformation");
        if (v == null) {
            return;
        }
        int name = v.slot("jvmName");
        int version = v.slot("jvmVersion");
        int jvmArgs = v.slot("jvmArguments");
        int javaArgs = v.slot("javaArguments");
        int start = v.slot("jvmStartTime");
        int pid = v.slot("pid");
        chain("jdk.JVMInformation", e -> {
            JvmInfo j = summary.jvm;
            j.jvmName = e.getString(name);
            j.jvmVersion = e.getString(version);
            j.jvmArguments = e.getString(jvmArgs);
            j.javaArguments = e.getString(javaArgs);
            if (start >= 0) {
                j.startMillis = e.getLong(start);
            }
            if (pid >= 0) {
                j.pid = e.getLong(pid);
            }
        });
    }
}
