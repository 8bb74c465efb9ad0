package dev.mpdiag.engine;

import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkParser;
import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.EventView;
import dev.mpdiag.jfr.JfrType;

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
        garbageCollection();
        processResources();
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
        int[] s = new int[2];
        EventView v = parser.on(event, e -> { });
        if (v == null || v.slot(field) < 0) {
            return;
        }
        s[0] = v.slot("startTime");
        s[1] = v.slot(field);
        Series out = summary.series(series, unit, Series.Kind.GAUGE);
        chain(event, e -> out.add(millis(e, s[0]), value(e, s[1], conv)));
    }

    // Several gauges can come from one event type: keep every handler registered for it.
    private final java.util.Map<String, java.util.List<ChunkParser.Handler>> handlers = new java.util.HashMap<>();

    private void chain(String event, ChunkParser.Handler h) {
        java.util.List<ChunkParser.Handler> list = handlers.computeIfAbsent(event, k -> new java.util.ArrayList<>());
        list.add(h);
        parser.on(event, e -> {
            for (ChunkParser.Handler each : list) {
                each.handle(e);
            }
        });
    }

    private void cpuLoad() {
        EventView v = parser.on("jdk.CPULoad", e -> { });
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
        EventView v = parser.on("jdk.ClassLoadingStatistics", e -> { });
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
        EventView v = parser.on("jdk.GCHeapSummary", e -> { });
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int when = v.slot("when");
        int used = v.slot("heapUsed");
        int committed = v.slot("heapSpace.committedSize");
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
            Object w = whenType == null ? null : pools.field(whenType, e.getLong(when), "when");
            if ("After GC".equals(w)) {
                afterGc.add(ms, e.getLong(used));
            }
        });
    }

    private void garbageCollection() {
        EventView v = parser.on("jdk.GarbageCollection", e -> { });
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        int name = v.slot("name");
        int sum = v.slot("sumOfPauses");
        int longest = v.slot("longestPause");
        JfrType nameType = name >= 0 && v.isConstantPool(name) ? v.slotType(name) : null;
        Series pauses = summary.series("gc.pause", "ns/s", Series.Kind.SUM);
        chain("jdk.GarbageCollection", e -> {
            Object n = nameType == null ? null : pools.field(nameType, e.getLong(name), "name");
            long pause = header.durationToNanos(e.getLong(sum));
            summary.gc.add(n instanceof String s ? s : null, pause, header.durationToNanos(e.getLong(longest)));
            pauses.add(Math.floorDiv(millis(e, t), 1000) * 1000, pause);
        });
    }

    // mpdiag.ProcessResources, written by our agent: every long field becomes a "proc.<field>" gauge.
    private void processResources() {
        EventView v = parser.on("mpdiag.ProcessResources", e -> { });
        if (v == null) {
            return;
        }
        int t = v.slot("startTime");
        for (String field : new String[] {"fdTotal", "fdFile", "fdSocket", "fdPipe", "fdOther", "threads",
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

    private void jvmInformation() {
        EventView v = parser.on("jdk.JVMInformation", e -> { });
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
