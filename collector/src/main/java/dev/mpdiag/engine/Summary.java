package dev.mpdiag.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine keeps of JFR data: profiles over interned stacks, time series, lock statistics, GC
 * figures, thread starts and ends by name pattern, old-object samples and JVM identity. A chunk is summarized once; summaries merge, and merging the summaries of two
 * chunk sets gives the summary of their union.
 */
public final class Summary {
    /** Name prefix of the series of file descriptor counts by path pattern (mpagent's mpdiag.FdPathPattern). */
    public static final String FD_PATH_SERIES = "fd.path:";

    /**
     * Ends of collections that took in the old generation (every collector's old or full collection, G1's
     * concurrent cycle, a ZGC or Shenandoah cycle): the heap after the collections that follow one is the live
     * set, where the floor of young collections also holds old garbage that no young collection can free.
     */
    public static final String OLD_CYCLE_SERIES = "gc.oldCycle";
    /**
     * The agent's cost (mpdiag.AgentCost) as per-second sums of CPU nanoseconds: its own threads, JFR's threads, and
     * the whole process over the same intervals; their ratio is the agent's share of the process's CPU.
     */
    public static final String AGENT_OWN_CPU = "agent.ownCpu";
    public static final String AGENT_JFR_CPU = "agent.jfrCpu";
    public static final String AGENT_PROCESS_CPU = "agent.processCpu";

    public final JvmInfo jvm = new JvmInfo();
    public final FrameTable frames = new FrameTable();
    public final StackTable stacks = new StackTable();
    private final EnumMap<ProfileType, Profile> profiles = new EnumMap<>(ProfileType.class);
    private final EnumMap<ProfileType, Heat> heat = new EnumMap<>(ProfileType.class);
    public final Pauses pauses = new Pauses();
    private final TreeMap<String, Series> series = new TreeMap<>();
    private final Map<String, LockStats> locks = new LinkedHashMap<>();
    public final GcSummary gc = new GcSummary();
    private final TreeMap<String, ThreadStats> threads = new TreeMap<>();
    private final OldObjects oldObjects = new OldObjects();
    private final TreeMap<String, Long> eventCounts = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long startNanos = Long.MAX_VALUE;
    private long endNanos = Long.MIN_VALUE;
    private int chunks;

    public Profile profile(ProfileType type) {
        return profiles.computeIfAbsent(type, t -> new Profile());
    }

    /** The profile of this type if one was ever created, even with no events; for the codec. */
    Profile existingProfile(ProfileType type) {
        return profiles.get(type);
    }

    /** When this profile's samples happened, to 20 ms; created on first use. */
    public Heat heat(ProfileType type) {
        return heat.computeIfAbsent(type, t -> new Heat());
    }

    /** The heat of this type when it has entries, else null (summaries from before heat was kept have none). */
    public Heat heatOrNull(ProfileType type) {
        Heat h = heat.get(type);
        return h == null || h.size() == 0 ? null : h;
    }

    /** Types with heat entries, for the codec. */
    Map<ProfileType, Heat> allHeat() {
        return heat;
    }

    /**
     * Cuts this type's profile to the samples in [fromMillis, toMillis), to 20 ms, from its heat. Whole chunks
     * are otherwise the finest grain a time range selects. False, and the profile left whole, without heat.
     */
    public boolean cutToWindow(ProfileType type, long fromMillis, long toMillis) {
        Heat h = heat.get(type);
        if (h == null) {
            return false;
        }
        profiles.put(type, h.window(fromMillis, toMillis));
        return true;
    }

    /** The profile when it has any events, else null. */
    public Profile profileOrNull(ProfileType type) {
        Profile p = profiles.get(type);
        return p == null || p.isEmpty() ? null : p;
    }

    /** Receives one stack of a profile: frame ids leaf first, and its weight and event count. */
    @FunctionalInterface
    public interface StackVisitor {
        void visit(int[] framesLeafFirst, long weight, long count);
    }

    /** Calls visitor for every stack with non-zero weight in the profile of this type, in stack id order. */
    public void forEachStack(ProfileType type, StackVisitor visitor) {
        Profile p = profileOrNull(type);
        if (p == null) {
            return;
        }
        int n = Math.min(p.capacity(), stacks.size());
        for (int id = 0; id < n; id++) {
            long w = p.weight(id);
            if (w != 0) {
                visitor.visit(stacks.frames(id), w, p.count(id));
            }
        }
    }

    public Series series(String name, String unit, Series.Kind kind) {
        return series.computeIfAbsent(name, n -> new Series(n, unit, kind));
    }

    public Series seriesOrNull(String name) {
        return series.get(name);
    }

    public Map<String, Series> allSeries() {
        return series;
    }

    /** The series whose names start with prefix, by name. */
    public Map<String, Series> seriesStartingWith(String prefix) {
        return series.subMap(prefix, prefix + Character.MAX_VALUE);
    }

    public LockStats lock(LockStats.Kind kind, String className) {
        return locks.computeIfAbsent(kind + ":" + className, k -> new LockStats(kind, className));
    }

    public Iterable<LockStats> locks() {
        return locks.values();
    }

    /** The starts and ends of threads whose names have this pattern ({@link ThreadStats#pattern}). */
    public ThreadStats thread(String pattern) {
        return threads.computeIfAbsent(pattern, ThreadStats::new);
    }

    /** Thread starts and ends by name pattern, in pattern order. */
    public Map<String, ThreadStats> threads() {
        return Collections.unmodifiableMap(threads);
    }

    /** Adds a sample; a second sighting of the same object keeps the newer one, and only the best 256 stay. */
    public void addOldObject(OldObjectSample sample) {
        oldObjects.add(sample);
    }

    /** Old-object samples (leak candidates), one per object, allocated when the heap was fullest first. */
    public List<OldObjectSample> oldObjects() {
        return oldObjects.list();
    }

    public void countEvents(String type, long n) {
        eventCounts.merge(type, n, Long::sum);
    }

    public Map<String, Long> eventCounts() {
        return eventCounts;
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        return warnings;
    }

    public void coverTime(long fromNanos, long toNanos) {
        startNanos = Math.min(startNanos, fromNanos);
        endNanos = Math.max(endNanos, toNanos);
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public int chunks() {
        return chunks;
    }

    public void addChunks(int n) {
        chunks += n;
    }

    /** Adds other into this summary, re-interning its frames and stacks into this one's tables. */
    public void merge(Summary other) {
        jvm.fillFrom(other.jvm);
        int[] frameMap = new int[other.frames.size()];
        for (int i = 0; i < frameMap.length; i++) {
            frameMap[i] = frames.intern(other.frames.name(i), other.frames.line(i), other.frames.kind(i));
        }
        int[] stackMap = new int[other.stacks.size()];
        for (int s = 0; s < stackMap.length; s++) {
            int[] src = other.stacks.frames(s);
            int[] dst = new int[src.length];
            for (int i = 0; i < src.length; i++) {
                dst[i] = frameMap[src[i]];
            }
            stackMap[s] = stacks.intern(dst);
        }
        for (Map.Entry<ProfileType, Profile> e : other.profiles.entrySet()) {
            Profile from = e.getValue();
            Profile to = profile(e.getKey());
            int n = Math.min(from.capacity(), stackMap.length);
            for (int s = 0; s < n; s++) {
                long c = from.count(s);
                long w = from.weight(s);
                if (c != 0 || w != 0) {
                    to.add(stackMap[s], w, c);
                }
            }
        }
        for (Map.Entry<ProfileType, Heat> e : other.heat.entrySet()) {
            heat(e.getKey()).mergeFrom(e.getValue(), stackMap);
        }
        pauses.mergeFrom(other.pauses);
        for (Series s : other.series.values()) {
            series(s.name, s.unit, s.kind).mergeFrom(s);
        }
        for (LockStats l : other.locks.values()) {
            LockStats to = lock(l.kind, l.className);
            boolean first = true;
            for (Map.Entry<Integer, long[]> e : l.byStack().entrySet()) {
                // The max is carried once; per-stack maxima are not kept.
                to.add(stackMap[e.getKey()], e.getValue()[0], e.getValue()[1], first ? l.maxNanos() : 0);
                first = false;
            }
        }
        gc.mergeFrom(other.gc);
        for (ThreadStats t : other.threads.values()) {
            ThreadStats to = thread(t.pattern);
            to.addEnds(t.ended());
            for (Map.Entry<Integer, long[]> site : t.startSites().entrySet()) {
                int id = site.getKey() == ThreadStats.NO_STACK ? ThreadStats.NO_STACK : stackMap[site.getKey()];
                to.addStarts(id, site.getValue()[0], site.getValue()[1]);
            }
        }
        for (OldObjectSample o : other.oldObjects()) {
            oldObjects.add(o.allocationStack() < 0 ? o : o.withStack(stackMap[o.allocationStack()]));
        }
        for (Map.Entry<String, Long> e : other.eventCounts.entrySet()) {
            countEvents(e.getKey(), e.getValue());
        }
        warnings.addAll(other.warnings);
        if (other.startNanos <= other.endNanos) {
            coverTime(other.startNanos, other.endNanos);
        }
        chunks += other.chunks;
    }
}
