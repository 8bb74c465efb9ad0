package dev.mpdiag.engine;

import dev.mpdiag.collections.LongIntMap;
import dev.mpdiag.collections.LongLongMap;
import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkParser;
import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.EventView;
import dev.mpdiag.jfr.JfrFormatException;
import dev.mpdiag.jfr.JfrType;
import dev.mpdiag.jfr.StackTraceReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Summarizes one JFR chunk in a single pass. Sampled events only bump weights keyed by their stack
 * trace's pool key (and the allocated or contended class's key); stacks are resolved to frames once per
 * distinct key at the end, so the per-event work is a few varint reads and one hash-map update.
 */
public final class ChunkSummarizer {
    private static final long NO_CLASS = -1;

    private final ChunkParser parser;
    private final ChunkHeader header;
    private final ConstantPools pools;
    private JfrType stateType;
    private final FrameNames names;
    private final StackTraceReader stackReader;
    private final Summary summary = new Summary();
    private final boolean times;

    private final LongLongMap executionSamples = new LongLongMap(4096);
    private final LongLongMap cpuTimeSamples = new LongLongMap();
    private final LongLongMap wallSamples = new LongLongMap();
    private final LongLongMap nativeSamples = new LongLongMap();
    private final LongLongMap allocSamples = new LongLongMap();
    private final LongLongMap allocTlab = new LongLongMap();
    private final LongLongMap monitorEnter = new LongLongMap();
    private final LongLongMap park = new LongLongMap();
    private final LongLongMap monitorWait = new LongLongMap();
    // Parks on a Condition (await, as idle pool threads do) are waiting for a signal by design, like
    // Object.wait, not contention for a lock; kept apart so they do not top every lock report.
    private final LongLongMap conditionWaits = new LongLongMap();
    // Parked-class key -> 1 when the class is a Condition, 0 otherwise; decided once per key.
    private final LongIntMap conditionClass = new LongIntMap();
    // Longest single block per (class key, kind ordinal).
    private final LongLongMap longestBlock = new LongLongMap();
    // Per-second totals, keyed by epoch second; turned into SUM series at the end.
    private final LongLongMap cpuPerSecond = new LongLongMap();
    private final LongLongMap allocPerSecond = new LongLongMap();
    private final LongLongMap tlabPerSecond = new LongLongMap();
    private final LongLongMap blockedPerSecond = new LongLongMap();

    // Sample times per accumulator (null when the scope wants none), for the heatmap and exact spans.
    private final TimedLog executionTimes;
    private final TimedLog cpuTimeTimes;
    private final TimedLog wallTimes;
    private final TimedLog allocSampleTimes;
    private final TimedLog allocTlabTimes;
    private final TimedLog monitorEnterTimes;
    private final TimedLog parkTimes;

    // The event async-profiler sampled for jdk.ExecutionSample, from its jdk.ActiveSetting; null for the JDK's.
    private String executionSampleEvent;

    private final LongIntMap stackCache = new LongIntMap(1024);
    private final List<int[]> resolvedStacks = new ArrayList<>();
    private final LongIntMap frameCache = new LongIntMap(1024);

    private ChunkSummarizer(ByteBuffer chunk, boolean times) throws JfrFormatException {
        this.times = times;
        executionTimes = timedLog();
        cpuTimeTimes = timedLog();
        wallTimes = timedLog();
        allocSampleTimes = timedLog();
        allocTlabTimes = timedLog();
        monitorEnterTimes = timedLog();
        parkTimes = timedLog();
        parser = new ChunkParser(chunk);
        header = parser.header();
        pools = parser.pools();
        names = new FrameNames(pools, parser.metadata());
        stackReader = new StackTraceReader(pools, parser.metadata());
    }

    /** Summarizes one complete chunk. */
    public static Summary summarize(ByteBuffer chunk) throws JfrFormatException {
        return summarize(chunk, Scope.ALL);
    }

    /** Summarizes the parts of one complete chunk that the scope asks for. */
    public static Summary summarize(ByteBuffer chunk, Scope scope) throws JfrFormatException {
        ChunkSummarizer s = new ChunkSummarizer(chunk, scope.times());
        s.registerSamples(scope);
        if (scope.periodic()) {
            new PeriodicEvents(s.parser, s.summary).register();
            new ThreadEvents(s.parser, s.summary, s).register();
            new OldObjectEvents(s.parser, s.summary, s.names, s).register();
        } else {
            new PeriodicEvents(s.parser, s.summary).registerIdentity();
        }
        s.parser.run();
        s.finish();
        return s.summary;
    }

    private TimedLog timedLog() {
        return times ? new TimedLog() : null;
    }

    private long cellOf(long ticks) {
        return Heat.cellOf(Math.floorDiv(header.ticksToNanos(ticks), 1_000_000L));
    }

    private long epochSecond(long ticks) {
        return Math.floorDiv(header.ticksToNanos(ticks), 1_000_000_000L);
    }

    private void registerSamples(Scope scope) {
        if (scope.has(ProfileType.CPU) || scope.has(ProfileType.WALL)) {
            // async-profiler in wall mode (as pyroscope-java runs it) writes jdk.ExecutionSample too; the
            // recording's own settings say which profile those samples are, so both scopes need them.
            sampled("jdk.ExecutionSample", executionSamples, executionTimes, cpuPerSecond);
            activeSettings();
        }
        if (scope.has(ProfileType.CPU)) {
            sampled("jdk.CPUTimeSample", cpuTimeSamples, cpuTimeTimes, null);
        }
        if (scope.has(ProfileType.NATIVE)) {
            sampled("jdk.NativeMethodSample", nativeSamples, null, null);
        }
        if (scope.has(ProfileType.WALL)) {
            wall("profiler.WallClockSample");
        }
        if (scope.has(ProfileType.ALLOC)) {
            allocation("jdk.ObjectAllocationSample", "weight", allocSamples, allocSampleTimes, allocPerSecond);
            allocation("jdk.ObjectAllocationInNewTLAB", "tlabSize", allocTlab, allocTlabTimes, tlabPerSecond);
            allocation("jdk.ObjectAllocationOutsideTLAB", "allocationSize", allocTlab, allocTlabTimes, tlabPerSecond);
        }
        if (scope.has(ProfileType.LOCK)) {
            blocking("jdk.JavaMonitorEnter", "monitorClass", monitorEnter, monitorEnterTimes, LockStats.Kind.MONITOR);
            blocking("jdk.ThreadPark", "parkedClass", park, parkTimes, LockStats.Kind.PARK);
        }
        if (scope.has(ProfileType.WAIT)) {
            blocking("jdk.JavaMonitorWait", "monitorClass", monitorWait, null, LockStats.Kind.WAIT);
        }
    }

    private void sampled(String type, LongLongMap acc, TimedLog timed, LongLongMap perSecond) {
        int[] slots = new int[2];
        EventView v = parser.on(type, e -> {
            long stack = e.getLong(slots[0]);
            acc.add(stack, NO_CLASS, 1);
            if (perSecond != null) {
                perSecond.add(epochSecond(e.getLong(slots[1])), 0, 1);
            }
            if (timed != null) {
                timed.add(stack, NO_CLASS, cellOf(e.getLong(slots[1])), 1);
            }
        });
        if (v != null) {
            slots[0] = v.slot("stackTrace");
            slots[1] = v.slot("startTime");
        }
    }

    /**
     * async-profiler records its options as jdk.ActiveSetting events (name "event", value "cpu", "itimer",
     * "wall", ...); the JDK's own settings never use that name. Few events per chunk, so strings are fine.
     */
    private void activeSettings() {
        int[] slots = new int[2];
        EventView v = parser.on("jdk.ActiveSetting", e -> {
            if ("event".equals(e.getString(slots[0]))) {
                executionSampleEvent = e.getString(slots[1]);
            }
        });
        if (v != null) {
            slots[0] = v.slot("name");
            slots[1] = v.slot("value");
        }
    }

    /** Whether this chunk's jdk.ExecutionSample events are wall-clock samples by the recorder's settings. */
    private boolean executionSamplesAreWall() {
        return executionSampleEvent != null && executionSampleEvent.trim().equalsIgnoreCase("wall");
    }

    // Wall-clock samples keep the sampled thread's state (async-profiler's jdk.types.ThreadState pool key) as
    // a leaf frame, so a wall profile tells sleeping from running from waiting under the same method.
    private void wall(String type) {
        int[] slots = new int[4];
        EventView v = parser.on(type, e -> {
            long samples = slots[1] < 0 ? 1 : Math.max(1, e.getLong(slots[1]));
            long stack = e.getLong(slots[0]);
            long state = slots[2] < 0 ? NO_CLASS : e.getLong(slots[2]);
            wallSamples.add(stack, state, samples, 1);
            if (wallTimes != null) {
                wallTimes.add(stack, state, cellOf(e.getLong(slots[3])), samples);
            }
        });
        if (v != null) {
            slots[0] = v.slot("stackTrace");
            slots[3] = v.slot("startTime");
            slots[1] = v.slot("samples");
            int state = v.slot("state");
            slots[2] = state >= 0 && v.isConstantPool(state) ? state : -1;
            stateType = slots[2] < 0 ? null : v.slotType(state);
        }
    }

    /** "[sleeping]" for STATE_SLEEPING; null when the pool has no name for the key. */
    private String stateName(long key) {
        Object n = stateType == null ? null : pools.field(stateType, key, "name");
        if (!(n instanceof String s) || s.isEmpty()) {
            return null;
        }
        String bare = s.startsWith("STATE_") ? s.substring("STATE_".length()) : s;
        return "[" + bare.toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "]";
    }

    private void allocation(String type, String weightField, LongLongMap acc, TimedLog timed, LongLongMap perSecond) {
        int[] slots = new int[5];
        EventView v = parser.on(type, e -> {
            long w = e.getLong(slots[2]);
            if (w <= 0 && slots[3] >= 0) {
                w = e.getLong(slots[3]);
            }
            long stack = e.getLong(slots[0]);
            long cls = e.getLong(slots[1]);
            long start = e.getLong(slots[4]);
            acc.add(stack, cls, w);
            perSecond.add(epochSecond(start), 0, w);
            if (timed != null) {
                timed.add(stack, cls, cellOf(start), w);
            }
        });
        if (v != null) {
            slots[0] = v.slot("stackTrace");
            slots[1] = v.slot("objectClass");
            slots[2] = v.slot(weightField);
            slots[3] = v.slot("allocationSize");
            slots[4] = v.slot("startTime");
        }
    }

    private void blocking(String type, String classField, LongLongMap acc, TimedLog timed, LockStats.Kind kind) {
        int[] slots = new int[4];
        EventView v = parser.on(type, e -> {
            long ns = header.durationToNanos(e.getLong(slots[2]));
            long cls = slots[1] < 0 ? 0 : e.getLong(slots[1]);
            if (kind == LockStats.Kind.PARK && isCondition(cls)) {
                conditionWaits.add(e.getLong(slots[0]), cls, ns);
                longestBlock.max(cls, LockStats.Kind.WAIT.ordinal(), ns);
                return;
            }
            long stack = e.getLong(slots[0]);
            acc.add(stack, cls, ns);
            if (kind != LockStats.Kind.WAIT) {
                blockedPerSecond.add(epochSecond(e.getLong(slots[3])), 0, ns);
            }
            if (timed != null) {
                timed.add(stack, cls, cellOf(e.getLong(slots[3])), ns);
            }
            longestBlock.max(cls, kind.ordinal(), ns);
        });
        if (v != null) {
            slots[0] = v.slot("stackTrace");
            slots[1] = v.slot(classField);
            slots[2] = v.slot("duration");
            slots[3] = v.slot("startTime");
        }
    }

    private void finish() throws JfrFormatException {
        summary.addChunks(1);
        summary.coverTime(header.startNanos, header.startNanos + header.durationNanos);
        summary.countEvents("all", parser.eventCount());
        boolean wallExecution = executionSamplesAreWall();
        boolean cpuTime = cpuTimeSamples.size() > 0 || wallExecution;
        addProfile(ProfileType.CPU, cpuTime ? cpuTimeSamples : executionSamples, cpuTime ? cpuTimeTimes : executionTimes,
                null);
        addProfile(ProfileType.WALL, wallSamples, wallTimes, FrameKind.THREAD_STATE);
        if (wallExecution) {
            addProfile(ProfileType.WALL, executionSamples, executionTimes, null);
        }
        addProfile(ProfileType.NATIVE, nativeSamples, null, null);
        // JFR's own sampler and the TLAB events (async-profiler, or enabled by hand) describe the same
        // allocations; counting both would double the bytes, so the sampler wins when it has data.
        boolean sampled = allocSamples.size() > 0;
        addProfile(ProfileType.ALLOC, sampled ? allocSamples : allocTlab, sampled ? allocSampleTimes : allocTlabTimes,
                FrameKind.ALLOC_CLASS);
        addProfile(ProfileType.LOCK, monitorEnter, monitorEnterTimes, FrameKind.LOCK_CLASS);
        addProfile(ProfileType.LOCK, park, parkTimes, FrameKind.LOCK_CLASS);
        addProfile(ProfileType.WAIT, monitorWait, null, FrameKind.LOCK_CLASS);
        addProfile(ProfileType.WAIT, conditionWaits, null, FrameKind.LOCK_CLASS);
        addLocks(monitorEnter, LockStats.Kind.MONITOR);
        addLocks(park, LockStats.Kind.PARK);
        addLocks(monitorWait, LockStats.Kind.WAIT);
        addLocks(conditionWaits, LockStats.Kind.WAIT);
        if (!wallExecution) {
            addPerSecond("cpu.samples", "samples/s", cpuPerSecond);
        }
        addPerSecond("alloc.rate", "bytes/s", sampled ? allocPerSecond : tlabPerSecond);
        addPerSecond("lock.blocked", "ns/s", blockedPerSecond);
    }

    private boolean isCondition(long classKey) {
        if (classKey == 0) {
            return false;
        }
        int known = conditionClass.get(classKey, -1);
        if (known < 0) {
            known = names.className(classKey).endsWith("$ConditionObject") ? 1 : 0;
            conditionClass.put(classKey, known);
        }
        return known == 1;
    }

    private void addPerSecond(String name, String unit, LongLongMap perSecond) {
        if (perSecond.size() == 0) {
            return;
        }
        Series s = summary.series(name, unit, Series.Kind.SUM);
        perSecond.forEach((second, unused, weight, count) -> s.add(second * 1000, weight));
    }

    private void addProfile(ProfileType type, LongLongMap acc, TimedLog timed, FrameKind leafKind)
            throws JfrFormatException {
        if (acc.size() == 0) {
            return;
        }
        Profile profile = summary.profile(type);
        // (stack key, class key) -> stack id, so each timed event finds its stack without interning again.
        LongLongMap ids = timed == null ? null : new LongLongMap(acc.size());
        JfrFormatException[] error = new JfrFormatException[1];
        acc.forEach((stackKey, classKey, weight, count) -> {
            try {
                int stackId = internStack(stackKey, leafKind == null ? NO_CLASS : classKey, leafKind);
                profile.add(stackId, weight, count);
                if (ids != null) {
                    ids.add(stackKey, classKey, stackId);
                }
            } catch (JfrFormatException e) {
                error[0] = e;
            }
        });
        if (error[0] != null) {
            throw error[0];
        }
        summary.countEvents(type.id(), countOf(acc));
        if (timed != null && timed.size > 0) {
            addHeat(summary.heat(type), timed, ids);
        }
    }

    /** One heat entry per distinct (20 ms cell, stack) of the chunk. */
    private static void addHeat(Heat heat, TimedLog log, LongLongMap ids) {
        LongLongMap cellStacks = new LongLongMap(Math.max(16, log.size / 2));
        for (int i = 0; i < log.size; i++) {
            cellStacks.add(log.cells[i], ids.weight(log.stackKeys[i], log.classKeys[i]), log.weights[i], 1);
        }
        cellStacks.forEach((cell, stackId, weight, count) -> heat.add(cell, (int) stackId, weight, count));
    }

    private static long countOf(LongLongMap acc) {
        long[] n = new long[1];
        acc.forEach((a, b, w, c) -> n[0] += c);
        return n[0];
    }

    private void addLocks(LongLongMap acc, LockStats.Kind kind) {
        acc.forEach((stackKey, classKey, weight, count) -> {
            try {
                int stackId = internStack(stackKey, NO_CLASS, null);
                String cls = kind == LockStats.Kind.PARK && classKey == 0 ? "(no parked object)" : names.className(classKey);
                summary.lock(kind, cls).add(stackId, weight, count, longestBlock.weight(classKey, kind.ordinal()));
            } catch (JfrFormatException e) {
                summary.warn("lock stack unreadable: " + e.getMessage());
            }
        });
    }

    /** The summary stack id of a stack trace pool key, or -1 when the event has no stack trace. */
    int stackId(long stackKey) throws JfrFormatException {
        int[] frames = resolveStack(stackKey);
        return frames.length == 0 ? -1 : summary.stacks.intern(frames);
    }

    // Stack key (plus optional synthetic leaf for an allocated or contended class) to a summary stack id.
    private int internStack(long stackKey, long classKey, FrameKind leafKind) throws JfrFormatException {
        int[] frames = resolveStack(stackKey);
        if (leafKind == null || classKey == NO_CLASS) {
            return summary.stacks.intern(frames);
        }
        String leaf;
        if (leafKind == FrameKind.THREAD_STATE) {
            leaf = stateName(classKey);
            if (leaf == null) {
                return summary.stacks.intern(frames);
            }
        } else {
            leaf = classKey == 0 ? "(no class)" : names.className(classKey);
        }
        int[] withLeaf = new int[frames.length + 1];
        withLeaf[0] = summary.frames.intern(leaf, 0, leafKind);
        System.arraycopy(frames, 0, withLeaf, 1, frames.length);
        return summary.stacks.intern(withLeaf);
    }

    private int[] resolveStack(long stackKey) throws JfrFormatException {
        int idx = stackCache.get(stackKey, -1);
        if (idx >= 0) {
            return resolvedStacks.get(idx);
        }
        int[] frames;
        if (!stackReader.read(stackKey)) {
            frames = new int[0];
        } else {
            int n = stackReader.length;
            frames = new int[stackReader.truncated ? n + 1 : n];
            for (int i = 0; i < n; i++) {
                frames[i] = frameId(stackReader.methods[i], stackReader.lines[i], stackReader.types[i]);
            }
            if (stackReader.truncated) {
                // Root-most marker, so stacks cut by the depth limit group together instead of posing as roots.
                frames[n] = summary.frames.intern("[truncated]", 0, FrameKind.OTHER);
            }
        }
        stackCache.put(stackKey, resolvedStacks.size());
        resolvedStacks.add(frames);
        return frames;
    }

    private int frameId(long methodKey, int line, long typeKey) {
        FrameKind kind = names.frameKind(typeKey);
        boolean packable = methodKey >= 0 && methodKey < (1L << 39) && line >= 0 && line < (1 << 20);
        long key = (methodKey << 24) | ((long) line << 4) | kind.ordinal();
        if (packable) {
            int id = frameCache.get(key, -1);
            if (id >= 0) {
                return id;
            }
        }
        int id = summary.frames.intern(names.methodName(methodKey), line, kind);
        if (packable) {
            frameCache.put(key, id);
        }
        return id;
    }
}
