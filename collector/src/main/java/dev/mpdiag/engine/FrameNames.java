package dev.mpdiag.engine;

import dev.mpdiag.jfr.ConstantPools;
import dev.mpdiag.jfr.JfrType;
import dev.mpdiag.jfr.Metadata;
import java.util.HashMap;
import java.util.Map;

/** Turns a chunk's class and method pool keys into readable names, once per key. */
final class FrameNames {
    private final ConstantPools pools;
    private final JfrType classType;
    private final JfrType methodType;
    private final JfrType frameTypeType;
    private final Map<Long, String> classNames = new HashMap<>();
    private final Map<Long, String> methodNames = new HashMap<>();
    private final Map<Long, FrameKind> frameKinds = new HashMap<>();

    FrameNames(ConstantPools pools, Metadata md) {
        this.pools = pools;
        this.classType = md.type("java.lang.Class");
        this.methodType = md.type("jdk.types.Method");
        this.frameTypeType = md.type("jdk.types.FrameType");
    }

    /** Dotted class name for a java.lang.Class pool key; "unknown" when absent. */
    String className(long key) {
        String s = classNames.get(key);
        if (s == null) {
            Object sym = pools.field(classType, key, "name");
            s = key == 0 && sym == null ? "unknown" : readable(symbol(sym));
            classNames.put(key, s);
        }
        return s;
    }

    /** "pkg.Class.method", or the bare symbol for native frames that have no class. */
    String methodName(long key) {
        String s = methodNames.get(key);
        if (s == null) {
            Object[] m = pools.value(methodType, key) instanceof Object[] a ? a : null;
            if (m == null) {
                s = "unknown";
            } else {
                String name = symbol(pools.field(methodType, key, "name"));
                Object typeRef = m[methodType.fieldIndex("type")];
                String cls = typeRef instanceof Long k && pools.value(classType, k) != null ? className(k) : "";
                s = cls.isEmpty() ? name : cls + "." + name;
            }
            methodNames.put(key, s);
        }
        return s;
    }

    // Frame type keys are a handful of small numbers; an array spares boxing a key per frame resolved.
    private final FrameKind[] smallKinds = new FrameKind[64];

    FrameKind frameKind(long key) {
        if (key >= 0 && key < smallKinds.length) {
            FrameKind k = smallKinds[(int) key];
            if (k == null) {
                k = lookupKind(key);
                smallKinds[(int) key] = k;
            }
            return k;
        }
        return lookupKind(key);
    }

    private FrameKind lookupKind(long key) {
        FrameKind k = frameKinds.get(key);
        if (k == null) {
            Object v = pools.value(frameTypeType, key);
            String d = v instanceof Object[] a && a.length > 0 && a[0] instanceof String str ? str : null;
            k = FrameKind.fromJfr(d);
            frameKinds.put(key, k);
        }
        return k;
    }

    // A Symbol pool entry is a struct with one string field.
    static String symbol(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Object[] a && a.length > 0 && a[0] instanceof String s) {
            return s;
        }
        return "unknown";
    }

    /**
     * JVM internal names to Java names: slashes to dots, array descriptors to brackets, and the
     * per-process parts of hidden-class names dropped (Foo$$Lambda$14/0x0000...,
     * LambdaForm$MH+0x...) so that the same lambda merges across processes.
     */
    static String readable(String internal) {
        String s = internal;
        int dims = 0;
        while (dims < s.length() && s.charAt(dims) == '[') {
            dims++;
        }
        if (dims > 0) {
            String elem = s.substring(dims);
            elem = switch (elem) {
                case "B" -> "byte";
                case "C" -> "char";
                case "D" -> "double";
                case "F" -> "float";
                case "I" -> "int";
                case "J" -> "long";
                case "S" -> "short";
                case "Z" -> "boolean";
                default -> elem.startsWith("L") && elem.endsWith(";") ? elem.substring(1, elem.length() - 1) : elem;
            };
            s = elem + "[]".repeat(dims);
        }
        // Hidden classes carry their address: Foo/0x0000..., or LambdaForm$MH+0x00007f26ad00c000.2035070981
        // as JFR writes some; all of it differs per process.
        int hidden = s.indexOf("/0x");
        if (hidden < 0) {
            hidden = s.indexOf("+0x");
        }
        if (hidden > 0) {
            s = s.substring(0, hidden);
        }
        s = s.replace('/', '.');
        int lambda = s.indexOf("$$Lambda");
        if (lambda > 0) {
            s = s.substring(0, lambda + "$$Lambda".length());
        }
        return s;
    }
}
