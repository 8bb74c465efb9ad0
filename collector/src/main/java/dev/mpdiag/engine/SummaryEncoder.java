package dev.mpdiag.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the body of the summary format (layout in {@link SummaryCodec}): a string table, then each part
 * of the summary. Every string is written once and referred to by its table index plus one, 0 being null.
 */
final class SummaryEncoder {
    private final Map<String, Integer> stringIds = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private final VarintOutput out;

    private SummaryEncoder(int capacity) {
        out = new VarintOutput(capacity);
    }

    /** The body bytes, in the returned buffer's array up to its size. */
    static VarintOutput encode(Summary s) {
        SummaryEncoder e = new SummaryEncoder(64 + s.frames.size() * 4 + s.stacks.size() * 24);
        e.jvm(s.jvm);
        e.out.writeSignedVarLong(s.startNanos());
        e.out.writeSignedVarLong(s.endNanos());
        e.out.writeSignedVarLong(s.chunks());
        e.frames(s.frames);
        e.stacks(s.stacks, s.frames.size());
        e.profiles(s);
        e.series(s);
        e.locks(s);
        e.gc(s.gc);
        e.threads(s);
        e.oldObjects(s);
        e.out.writeVarLong(s.eventCounts().size());
        for (Map.Entry<String, Long> c : s.eventCounts().entrySet()) {
            e.out.writeVarLong(e.ref(c.getKey()));
            e.out.writeSignedVarLong(c.getValue());
        }
        e.out.writeVarLong(s.warnings().size());
        for (String w : s.warnings()) {
            e.out.writeVarLong(e.ref(w));
        }
        e.heat(s);
        e.pauses(s.pauses);
        // The table goes first so the reader has it before the references; only now is it complete.
        VarintOutput body = new VarintOutput(e.out.size() + 32 * e.strings.size() + 16);
        body.writeVarLong(e.strings.size());
        for (String str : e.strings) {
            body.writeString(str);
        }
        body.writeBytes(e.out.array(), 0, e.out.size());
        return body;
    }

    // Cells as signed deltas from the previous entry's: entries of a chunk sit within seconds of each other.
    private void heat(Summary s) {
        Map<ProfileType, Heat> all = s.allHeat();
        out.writeVarLong(all.size());
        for (Map.Entry<ProfileType, Heat> e : all.entrySet()) {
            Heat h = e.getValue();
            out.writeVarLong(e.getKey().ordinal());
            out.writeVarLong(h.size());
            long cell = 0;
            for (int i = 0; i < h.size(); i++) {
                out.writeSignedVarLong(h.cell(i) - cell);
                cell = h.cell(i);
                out.writeVarLong(h.stack(i));
                out.writeSignedVarLong(h.weight(i));
                out.writeSignedVarLong(h.count(i));
            }
        }
    }

    private void pauses(Pauses p) {
        out.writeVarLong(p.size());
        long start = 0;
        for (int i = 0; i < p.size(); i++) {
            out.writeVarLong(p.kind(i).ordinal());
            out.writeSignedVarLong(p.startMillis(i) - start);
            start = p.startMillis(i);
            out.writeSignedVarLong(p.durationNanos(i));
        }
        out.writeSignedVarLong(p.dropped());
    }

    private int ref(String s) {
        if (s == null) {
            return 0;
        }
        Integer id = stringIds.get(s);
        if (id == null) {
            strings.add(s);
            id = strings.size();
            stringIds.put(s, id);
        }
        return id;
    }

    private void jvm(JvmInfo jvm) {
        out.writeSignedVarLong(jvm.pid);
        out.writeSignedVarLong(jvm.startMillis);
        out.writeVarLong(ref(jvm.jvmName));
        out.writeVarLong(ref(jvm.jvmVersion));
        out.writeVarLong(ref(jvm.jvmArguments));
        out.writeVarLong(ref(jvm.javaArguments));
        out.writeSignedVarLong(jvm.maxHeapBytes);
    }

    private void frames(FrameTable frames) {
        out.writeVarLong(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            out.writeVarLong(ref(frames.name(i)));
            out.writeSignedVarLong(frames.line(i));
            out.writeByte(frames.kind(i).ordinal());
        }
    }

    private void stacks(StackTable stacks, int frameCount) {
        out.writeVarLong(stacks.size());
        for (int s = 0; s < stacks.size(); s++) {
            int[] frames = stacks.frames(s);
            out.writeVarLong(frames.length);
            for (int f : frames) {
                if (f < 0 || f >= frameCount) {
                    throw new IllegalStateException("stack " + s + " refers to frame " + f + " of " + frameCount);
                }
                out.writeVarLong(f);
            }
        }
    }

    private void profiles(Summary s) {
        int present = 0;
        for (ProfileType t : ProfileType.values()) {
            present += s.existingProfile(t) != null ? 1 : 0;
        }
        out.writeVarLong(present);
        for (ProfileType t : ProfileType.values()) {
            Profile p = s.existingProfile(t);
            if (p == null) {
                continue;
            }
            int entries = 0;
            for (int id = 0; id < p.capacity(); id++) {
                if (p.weight(id) != 0 || p.count(id) != 0) {
                    if (id >= s.stacks.size()) {
                        throw new IllegalStateException("profile " + t.id() + " refers to stack " + id + " of " + s.stacks.size());
                    }
                    entries++;
                }
            }
            out.writeByte(t.ordinal());
            out.writeVarLong(entries);
            int prev = -1;
            for (int id = 0; id < p.capacity(); id++) {
                if (p.weight(id) != 0 || p.count(id) != 0) {
                    out.writeVarLong(id - prev - 1);
                    out.writeSignedVarLong(p.weight(id));
                    out.writeSignedVarLong(p.count(id));
                    prev = id;
                }
            }
        }
    }

    private void series(Summary s) {
        out.writeVarLong(s.allSeries().size());
        for (Series ser : s.allSeries().values()) {
            out.writeVarLong(ref(ser.name));
            out.writeVarLong(ref(ser.unit));
            out.writeByte(ser.kind.ordinal());
            out.writeVarLong(ser.size());
            boolean integral = true;
            for (double v : ser.points().values()) {
                integral &= isLong(v);
            }
            out.writeByte(integral ? 1 : 0);
            // Times as deltas (ascending, so unsigned), then values: columns compress better than pairs.
            long prev = 0;
            boolean first = true;
            for (long t : ser.points().keySet()) {
                if (first) {
                    out.writeSignedVarLong(t);
                    first = false;
                } else {
                    out.writeVarLong(t - prev);
                }
                prev = t;
            }
            for (double v : ser.points().values()) {
                if (integral) {
                    out.writeSignedVarLong((long) v);
                } else {
                    out.writeFixedLong(Double.doubleToRawLongBits(v));
                }
            }
        }
    }

    /** True when the value survives a trip through long exactly (so not -0.0, NaN or a fraction). */
    private static boolean isLong(double v) {
        return Double.doubleToRawLongBits((double) (long) v) == Double.doubleToRawLongBits(v);
    }

    private void locks(Summary s) {
        int n = 0;
        for (LockStats ignored : s.locks()) {
            n++;
        }
        out.writeVarLong(n);
        for (LockStats l : s.locks()) {
            out.writeByte(l.kind.ordinal());
            out.writeVarLong(ref(l.className));
            out.writeSignedVarLong(l.blockedNanos());
            out.writeSignedVarLong(l.count());
            out.writeSignedVarLong(l.maxNanos());
            int[] ids = new int[l.byStack().size()];
            int i = 0;
            for (int id : l.byStack().keySet()) {
                if (id < 0 || id >= s.stacks.size()) {
                    throw new IllegalStateException("lock " + l.className + " refers to stack " + id + " of " + s.stacks.size());
                }
                ids[i++] = id;
            }
            Arrays.sort(ids);
            out.writeVarLong(ids.length);
            int prev = -1;
            for (int id : ids) {
                long[] v = l.byStack().get(id);
                out.writeVarLong(id - prev - 1);
                out.writeSignedVarLong(v[0]);
                out.writeSignedVarLong(v[1]);
                prev = id;
            }
        }
    }

    private void gc(GcSummary gc) {
        out.writeSignedVarLong(gc.count());
        out.writeSignedVarLong(gc.totalPauseNanos());
        out.writeSignedVarLong(gc.maxPauseNanos());
        out.writeVarLong(gc.byCollector().size());
        for (Map.Entry<String, long[]> c : gc.byCollector().entrySet()) {
            out.writeVarLong(ref(c.getKey()));
            for (int i = 0; i < 3; i++) {
                out.writeSignedVarLong(c.getValue()[i]);
            }
        }
    }

    /** A stack id or -1 (none), checked against the table. */
    private static int checkStack(int id, int stackCount, String what) {
        if (id < -1 || id >= stackCount) {
            throw new IllegalStateException(what + " refers to stack " + id + " of " + stackCount);
        }
        return id;
    }

    private void threads(Summary s) {
        out.writeVarLong(s.threads().size());
        for (ThreadStats t : s.threads().values()) {
            out.writeVarLong(ref(t.pattern));
            out.writeSignedVarLong(t.ended());
            // Sites in ascending stack id order (NO_STACK, -1, first), each id as its gap to the previous one.
            out.writeVarLong(t.startSites().size());
            int prev = -2;
            for (Map.Entry<Integer, long[]> site : t.startSites().entrySet()) {
                int id = checkStack(site.getKey(), s.stacks.size(), "thread pattern " + t.pattern);
                out.writeVarLong(id - prev - 1);
                out.writeSignedVarLong(site.getValue()[0]);
                out.writeSignedVarLong(site.getValue()[1]);
                prev = id;
            }
        }
    }

    private void oldObjects(Summary s) {
        out.writeVarLong(s.oldObjects().size());
        for (OldObjectSample o : s.oldObjects()) {
            out.writeVarLong(ref(o.className()));
            // Stack id + 1, so -1 (no stack) is 0.
            out.writeVarLong(checkStack(o.allocationStack(), s.stacks.size(), "old object " + o.className()) + 1L);
            out.writeSignedVarLong(o.allocationTicks());
            out.writeSignedVarLong(o.allocationMillis());
            out.writeSignedVarLong(o.ageNanos());
            out.writeSignedVarLong(o.heapUsedBytes());
            out.writeSignedVarLong(o.arrayLength());
            out.writeVarLong(ref(o.rootKind()));
            out.writeVarLong(o.chain().size());
            for (String step : o.chain()) {
                out.writeVarLong(ref(step));
            }
        }
    }
}
