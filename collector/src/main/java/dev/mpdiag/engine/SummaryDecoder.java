package dev.mpdiag.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the body {@link SummaryEncoder} writes back into a Summary, validating as it goes: every count is
 * capped by the bytes left, every index by its table, and duplicates the tables would fold are refused.
 */
final class SummaryDecoder {
    private static final FrameKind[] FRAME_KINDS = FrameKind.values();
    private static final ProfileType[] PROFILE_TYPES = ProfileType.values();
    private static final Series.Kind[] SERIES_KINDS = Series.Kind.values();
    private static final LockStats.Kind[] LOCK_KINDS = LockStats.Kind.values();

    private final VarintInput in;
    private final Summary s = new Summary();
    private String[] strings;

    private SummaryDecoder(VarintInput in) {
        this.in = in;
    }

    static Summary decode(byte[] body, int offset, int length, int version) throws IOException {
        SummaryDecoder d = new SummaryDecoder(new VarintInput(body, offset, offset + length));
        d.strings();
        d.jvm();
        long start = d.in.readSignedVarLong();
        long end = d.in.readSignedVarLong();
        // On an empty summary this sets the same MAX/MIN sentinels it started with.
        d.s.coverTime(start, end);
        d.s.addChunks(d.readInt("chunk count"));
        d.frames();
        d.stacks();
        d.profiles();
        d.series();
        d.locks();
        d.gc();
        d.threads();
        d.oldObjects();
        d.eventCounts();
        int warnings = d.in.readCount(1, "warning");
        for (int i = 0; i < warnings; i++) {
            d.s.warn(d.string());
        }
        if (version >= 3) {
            d.heat();
            d.pauses();
        }
        if (d.in.remaining() != 0) {
            throw d.in.corrupt(d.in.remaining() + " bytes after the last part");
        }
        return d.s;
    }

    private int readInt(String what) throws IOException {
        long v = in.readSignedVarLong();
        if ((int) v != v) {
            throw in.corrupt(what + " " + v + " is not an int");
        }
        return (int) v;
    }

    private void strings() throws IOException {
        strings = new String[in.readCount(1, "string")];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = in.readString();
        }
    }

    private String string() throws IOException {
        int ref = in.readIndex(strings.length + 1, "string reference");
        return ref == 0 ? null : strings[ref - 1];
    }

    private String name(String what) throws IOException {
        String name = string();
        if (name == null) {
            throw in.corrupt(what + " without a name");
        }
        return name;
    }

    private void jvm() throws IOException {
        s.jvm.pid = in.readSignedVarLong();
        s.jvm.startMillis = in.readSignedVarLong();
        s.jvm.jvmName = string();
        s.jvm.jvmVersion = string();
        s.jvm.jvmArguments = string();
        s.jvm.javaArguments = string();
        s.jvm.maxHeapBytes = in.readSignedVarLong();
    }

    private void frames() throws IOException {
        int n = in.readCount(3, "frame");
        for (int i = 0; i < n; i++) {
            String name = string();
            int line = readInt("line");
            FrameKind kind = FRAME_KINDS[in.readIndex(FRAME_KINDS.length, "frame kind")];
            if (s.frames.intern(name, line, kind) != i) {
                throw in.corrupt("frame " + i + " repeats an earlier one");
            }
        }
    }

    private void stacks() throws IOException {
        int n = in.readCount(1, "stack");
        int frames = s.frames.size();
        for (int i = 0; i < n; i++) {
            int[] stack = new int[in.readCount(1, "stack frame")];
            for (int j = 0; j < stack.length; j++) {
                stack[j] = in.readIndex(frames, "frame id");
            }
            if (s.stacks.intern(stack) != i) {
                throw in.corrupt("stack " + i + " repeats an earlier one");
            }
        }
    }

    /** Strictly ascending ids below bound, each written as its gap to the previous one. */
    private int nextId(int prev, int bound, String what) throws IOException {
        return prev + 1 + in.readIndex(bound - prev - 1, what);
    }

    private void profiles() throws IOException {
        int n = in.readCount(2, "profile");
        Set<ProfileType> seen = EnumSet.noneOf(ProfileType.class);
        int stacks = s.stacks.size();
        for (int i = 0; i < n; i++) {
            ProfileType type = PROFILE_TYPES[in.readIndex(PROFILE_TYPES.length, "profile type")];
            if (!seen.add(type)) {
                throw in.corrupt("profile " + type.id() + " twice");
            }
            Profile p = s.profile(type);
            int entries = in.readCount(3, "profile entry");
            int id = -1;
            for (int e = 0; e < entries; e++) {
                id = nextId(id, stacks, "profile stack id");
                long weight = in.readSignedVarLong();
                long count = in.readSignedVarLong();
                p.add(id, weight, count);
            }
        }
    }

    private void heat() throws IOException {
        int n = in.readCount(2, "heat");
        Set<ProfileType> seen = EnumSet.noneOf(ProfileType.class);
        int stacks = s.stacks.size();
        for (int i = 0; i < n; i++) {
            ProfileType type = PROFILE_TYPES[in.readIndex(PROFILE_TYPES.length, "heat type")];
            if (!seen.add(type)) {
                throw in.corrupt("heat " + type.id() + " twice");
            }
            Heat h = s.heat(type);
            int entries = in.readCount(4, "heat entry");
            long cell = 0;
            for (int e = 0; e < entries; e++) {
                cell += in.readSignedVarLong();
                int stack = in.readIndex(stacks, "heat stack id");
                long weight = in.readSignedVarLong();
                long count = in.readSignedVarLong();
                h.add(cell, stack, weight, count);
            }
        }
    }

    private static final Pauses.Kind[] PAUSE_KINDS = Pauses.Kind.values();

    private void pauses() throws IOException {
        int n = in.readCount(3, "pause");
        long start = 0;
        for (int i = 0; i < n; i++) {
            Pauses.Kind kind = PAUSE_KINDS[in.readIndex(PAUSE_KINDS.length, "pause kind")];
            start += in.readSignedVarLong();
            s.pauses.add(kind, start, in.readSignedVarLong());
        }
        s.pauses.addDropped(in.readSignedVarLong());
    }

    private void series() throws IOException {
        int n = in.readCount(5, "series");
        for (int i = 0; i < n; i++) {
            String name = name("series");
            String unit = string();
            Series.Kind kind = SERIES_KINDS[in.readIndex(SERIES_KINDS.length, "series kind")];
            if (s.seriesOrNull(name) != null) {
                throw in.corrupt("series " + name + " twice");
            }
            Series ser = s.series(name, unit, kind);
            int points = in.readCount(2, "point");
            boolean integral = in.readIndex(2, "value encoding") == 1;
            long[] times = new long[points];
            for (int p = 0; p < points; p++) {
                times[p] = p == 0 ? in.readSignedVarLong() : times[p - 1] + in.readVarLong();
                if (p > 0 && times[p] <= times[p - 1]) {
                    throw in.corrupt("series " + name + " times not ascending");
                }
            }
            for (int p = 0; p < points; p++) {
                long v = integral ? in.readSignedVarLong() : in.readFixedLong();
                ser.add(times[p], integral ? (double) v : Double.longBitsToDouble(v));
            }
        }
    }

    private void locks() throws IOException {
        int n = in.readCount(6, "lock");
        Set<String> seen = new HashSet<>();
        int stacks = s.stacks.size();
        for (int i = 0; i < n; i++) {
            LockStats.Kind kind = LOCK_KINDS[in.readIndex(LOCK_KINDS.length, "lock kind")];
            String className = string();
            if (!seen.add(kind + ":" + className)) {
                throw in.corrupt("lock " + kind + " " + className + " twice");
            }
            LockStats l = s.lock(kind, className);
            long blocked = in.readSignedVarLong();
            long count = in.readSignedVarLong();
            long max = in.readSignedVarLong();
            int entries = in.readCount(3, "lock stack");
            int id = -1;
            for (int e = 0; e < entries; e++) {
                id = nextId(id, stacks, "lock stack id");
                l.add(id, in.readSignedVarLong(), in.readSignedVarLong(), 0);
            }
            l.restoreTotals(blocked, count, max);
        }
    }

    private void gc() throws IOException {
        s.gc.restoreTotals(in.readSignedVarLong(), in.readSignedVarLong(), in.readSignedVarLong());
        int n = in.readCount(4, "collector");
        for (int i = 0; i < n; i++) {
            String name = name("collector");
            long[] v = {in.readSignedVarLong(), in.readSignedVarLong(), in.readSignedVarLong()};
            if (s.gc.byCollector().put(name, v) != null) {
                throw in.corrupt("collector " + name + " twice");
            }
        }
    }

    private void threads() throws IOException {
        int n = in.readCount(3, "thread pattern");
        int stacks = s.stacks.size();
        for (int i = 0; i < n; i++) {
            String pattern = name("thread pattern");
            if (s.threads().containsKey(pattern)) {
                throw in.corrupt("thread pattern " + pattern + " twice");
            }
            ThreadStats t = s.thread(pattern);
            t.addEnds(in.readSignedVarLong());
            int sites = in.readCount(3, "thread start site");
            // Ids from -1 (no stack) up, shifted by one so nextId's strictly ascending rule applies.
            int shifted = -1;
            for (int e = 0; e < sites; e++) {
                shifted = nextId(shifted, stacks + 1, "thread start stack id");
                t.addStarts(shifted - 1, in.readSignedVarLong(), in.readSignedVarLong());
            }
        }
    }

    private void oldObjects() throws IOException {
        int n = in.readCount(9, "old object");
        if (n > OldObjects.MAX) {
            throw in.corrupt(n + " old objects, more than the " + OldObjects.MAX + " a summary keeps");
        }
        int stacks = s.stacks.size();
        for (int i = 0; i < n; i++) {
            String className = string();
            int stack = in.readIndex(stacks + 1, "old object stack id") - 1;
            long ticks = in.readSignedVarLong();
            long millis = in.readSignedVarLong();
            long age = in.readSignedVarLong();
            long heap = in.readSignedVarLong();
            int arrayLength = readInt("array length");
            String rootKind = string();
            String[] chain = new String[in.readCount(1, "chain step")];
            for (int c = 0; c < chain.length; c++) {
                chain[c] = name("chain step");
            }
            s.addOldObject(new OldObjectSample(className, stack, ticks, millis, age, heap, arrayLength, Arrays.asList(chain), rootKind));
        }
        if (s.oldObjects().size() != n) {
            throw in.corrupt("old objects repeat one another");
        }
    }

    private void eventCounts() throws IOException {
        int n = in.readCount(2, "event count");
        for (int i = 0; i < n; i++) {
            String type = name("event count");
            if (s.eventCounts().containsKey(type)) {
                throw in.corrupt("event count " + type + " twice");
            }
            s.countEvents(type, in.readSignedVarLong());
        }
    }
}
