package dev.mpdiag.engine;

import dev.mpdiag.jfr.ChunkHeader;
import dev.mpdiag.jfr.ChunkParser;
import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.EventView;
import dev.mpdiag.jfr.JfrField;
import dev.mpdiag.jfr.JfrType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns jdk.OldObjectSample events into {@link OldObjectSample}s, following each object's referrers through
 * the chunk's jdk.types.OldObject and jdk.types.Reference pools up to the GC root. JFR writes these events
 * only when a recording that enables them stops or is copied, dumped or snapshotted, at most a few hundred
 * at a time, so clarity wins over the allocation-free style of the sample path.
 */
final class OldObjectEvents {
    /** Longer chains keep their first and last steps around a "(n more)" marker. */
    static final int MAX_CHAIN = 64;
    // A pool graph that loops (a corrupt file) must not hang the walk.
    private static final int MAX_WALK = 100_000;
    private static final String CLASS_NAME_PREFIX = "Class Name: ";

    private final ChunkParser parser;
    private final ChunkHeader header;
    private final ConstantPools pools;
    private final FrameNames names;
    private final Summary summary;
    private final ChunkSummarizer stacks;
    private JfrType objectType;
    private JfrType referenceType;
    private JfrType rootType;

    OldObjectEvents(ChunkParser parser, Summary summary, FrameNames names, ChunkSummarizer stacks) {
        this.parser = parser;
        this.header = parser.header();
        this.pools = parser.pools();
        this.names = names;
        this.summary = summary;
        this.stacks = stacks;
    }

    void register() {
        int[] slot = new int[7];
        EventView v = parser.on("jdk.OldObjectSample", e -> {
            long objectKey = e.getLong(slot[3]);
            Object[] object = objectType == null ? null : struct(objectType, objectKey);
            long classKey = object == null ? -1 : rawLong(objectType, object, "type");
            long ticks = e.getLong(slot[0]);
            long elements = slot[4] < 0 ? -1 : e.getLong(slot[4]);
            Object[] root = rootType == null ? null : struct(rootType, e.getLong(slot[5]));
            summary.addOldObject(new OldObjectSample(
                    classKey < 0 ? "unknown" : names.className(classKey),
                    stacks.stackId(e.getLong(slot[6])),
                    ticks,
                    Math.floorDiv(header.ticksToNanos(ticks), 1_000_000L),
                    header.durationToNanos(e.getLong(slot[1])),
                    e.getLong(slot[2]),
                    elements >= 0 && elements <= Integer.MAX_VALUE ? (int) elements : -1,
                    chain(object, root),
                    root == null ? null : rootKind(root)));
        });
        if (v == null) {
            return;
        }
        slot[0] = v.slot("allocationTime");
        slot[1] = v.slot("objectAge");
        slot[2] = v.slot("lastKnownHeapUsage");
        slot[3] = v.slot("object");
        slot[4] = v.slot("arrayElements");
        slot[5] = v.slot("root");
        slot[6] = v.slot("stackTrace");
        if (slot[3] >= 0 && v.isConstantPool(slot[3])) {
            objectType = v.slotType(slot[3]);
            referenceType = fieldType(objectType, "referrer");
        }
        if (slot[5] >= 0 && v.isConstantPool(slot[5])) {
            rootType = v.slotType(slot[5]);
        }
    }

    /** Steps from the object's direct referrer up to the root, as {@link OldObjectSample#chain} describes. */
    private List<String> chain(Object[] object, Object[] root) {
        List<String> steps = new ArrayList<>();
        Object[] current = object;
        for (int walked = 0; current != null && referenceType != null && walked < MAX_WALK; walked++) {
            Object[] ref = struct(referenceType, get(objectType, current, "referrer"));
            if (ref == null) {
                break;
            }
            Object[] holder = struct(objectType, get(referenceType, ref, "object"));
            if (holder == null) {
                break;
            }
            Object skip = get(referenceType, ref, "skip");
            if (skip instanceof Long n && n > 0) {
                steps.add("(" + n + " more)");
            }
            steps.add(step(holder, ref));
            current = holder;
        }
        if (root != null) {
            String description = text(get(rootType, root, "description"));
            steps.add("root: " + rootKind(root) + (description == null ? "" : " (" + description + ")"));
        }
        if (steps.size() <= MAX_CHAIN) {
            return steps;
        }
        int head = MAX_CHAIN / 2;
        int tail = MAX_CHAIN - head - 1;
        List<String> cut = new ArrayList<>(steps.subList(0, head));
        cut.add("(" + (steps.size() - head - tail) + " more)");
        cut.addAll(steps.subList(steps.size() - tail, steps.size()));
        return cut;
    }

    /** How holder refers to the next object: "Class.field", "Class.field (static)" or "ElementClass[][index]". */
    private String step(Object[] holder, Object[] ref) {
        long classKey = rawLong(objectType, holder, "type");
        String cls = classKey < 0 ? "unknown" : names.className(classKey);
        JfrType fieldInfoType = fieldType(referenceType, "field");
        Object[] field = fieldInfoType == null ? null : struct(fieldInfoType, get(referenceType, ref, "field"));
        if (field != null) {
            String name = text(get(fieldInfoType, field, "name"));
            boolean isStatic = get(fieldInfoType, field, "modifiers") instanceof Long m && Modifier.isStatic(m.intValue());
            // A static field hangs off the java.lang.Class object of its class, which the description names.
            String description = text(get(objectType, holder, "description"));
            if (isStatic && "java.lang.Class".equals(cls) && description != null && description.startsWith(CLASS_NAME_PREFIX)) {
                cls = description.substring(CLASS_NAME_PREFIX.length());
            }
            return cls + "." + name + (isStatic ? " (static)" : "");
        }
        JfrType arrayInfoType = fieldType(referenceType, "array");
        Object[] array = arrayInfoType == null ? null : struct(arrayInfoType, get(referenceType, ref, "array"));
        if (array != null && get(arrayInfoType, array, "index") instanceof Long index) {
            return cls + "[" + index + "]";
        }
        return cls;
    }

    private String rootKind(Object[] root) {
        String system = text(get(rootType, root, "system"));
        String type = text(get(rootType, root, "type"));
        if (system == null) {
            return type == null ? "unknown" : type;
        }
        return type == null ? system : system + ": " + type;
    }

    /** A struct value: inline already, or a pool key to look up; null for a null reference. */
    private Object[] struct(JfrType type, Object value) {
        if (value instanceof Object[] inline) {
            return inline;
        }
        if (value instanceof Long key && key != 0) {
            return pools.value(type, key) instanceof Object[] a ? a : null;
        }
        return null;
    }

    /** A field of a struct value, with a pool reference followed to its value. */
    private Object get(JfrType type, Object[] value, String name) {
        int i = type.fieldIndex(name);
        if (i < 0) {
            return null;
        }
        JfrField f = type.fields()[i];
        Object raw = value[i];
        if (f.constantPool && f.dimension == 0 && raw instanceof Long key) {
            return pools.value(f.type(), key);
        }
        return raw;
    }

    /** A field as stored, a pool key staying a key; -1 when absent. */
    private static long rawLong(JfrType type, Object[] value, String name) {
        int i = type.fieldIndex(name);
        return i >= 0 && value[i] instanceof Long l ? l : -1;
    }

    private static JfrType fieldType(JfrType type, String name) {
        int i = type == null ? -1 : type.fieldIndex(name);
        return i < 0 ? null : type.fields()[i].type();
    }

    /** A string, or the string inside a one-string struct (the root system and type pools are such). */
    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Object[] a && a.length > 0 && a[0] instanceof String s) {
            return s;
        }
        return null;
    }
}
