package dev.mpdiag.engine;

import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkParser;
import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.EventView;
import dev.mpdiag.jfr.JfrType;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts jdk.ThreadStart and jdk.ThreadEnd per thread-name pattern into {@link ThreadStats}, with the stack
 * of each start. JFR commits ThreadStart in the new thread, but its stack trace is the parent's, at the call
 * of Thread.start; the event's "thread" field (like its event thread) is the new thread.
 */
final class ThreadEvents {
    private final ChunkParser parser;
    private final ChunkHeader header;
    private final ConstantPools pools;
    private final Summary summary;
    private final ChunkSummarizer stacks;
    // Thread pool key to name pattern; a chunk names each thread once.
    private final Map<Long, String> patterns = new HashMap<>();

    ThreadEvents(ChunkParser parser, Summary summary, ChunkSummarizer stacks) {
        this.parser = parser;
        this.header = parser.header();
        this.pools = parser.pools();
        this.summary = summary;
        this.stacks = stacks;
    }

    void register() {
        int[] start = new int[3];
        EventView s = parser.on("jdk.ThreadStart", e -> {
            ThreadStats t = summary.thread(pattern(e, start[0]));
            t.addStarts(stacks.stackId(e.getLong(start[1])), 1, header.ticksToNanos(e.getLong(start[2])));
        });
        if (s != null) {
            start[0] = threadSlot(s);
            start[1] = s.slot("stackTrace");
            start[2] = s.slot("startTime");
        }
        int[] end = new int[1];
        EventView x = parser.on("jdk.ThreadEnd", e -> summary.thread(pattern(e, end[0])).addEnds(1));
        if (x != null) {
            end[0] = threadSlot(x);
        }
    }

    private static int threadSlot(EventView v) {
        int slot = v.slot("thread");
        return slot >= 0 && v.isConstantPool(slot) ? slot : v.slot("eventThread");
    }

    private String pattern(EventView e, int slot) {
        if (slot < 0 || !e.isConstantPool(slot)) {
            return "(unknown)";
        }
        long key = e.getLong(slot);
        String p = patterns.get(key);
        if (p == null) {
            JfrType threadType = e.slotType(slot);
            Object name = pools.field(threadType, key, "javaName");
            if (!(name instanceof String)) {
                name = pools.field(threadType, key, "osName");
            }
            p = name instanceof String n ? ThreadStats.pattern(n) : "(unknown)";
            patterns.put(key, p);
        }
        return p;
    }
}
