package dev.mpdiag.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Interned frames: each distinct (name, line, kind) gets a small int id that stacks refer to. */
public final class FrameTable {
    private record Key(String name, int line, byte kind) {
    }

    private final Map<Key, Integer> ids = new HashMap<>();
    private String[] names = new String[256];
    private int[] lines = new int[256];
    private byte[] kinds = new byte[256];
    private int size;

    public int intern(String name, int line, FrameKind kind) {
        Key k = new Key(name, line, (byte) kind.ordinal());
        Integer id = ids.get(k);
        if (id != null) {
            return id;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            lines = Arrays.copyOf(lines, size * 2);
            kinds = Arrays.copyOf(kinds, size * 2);
        }
        names[size] = name;
        lines[size] = line;
        kinds[size] = (byte) kind.ordinal();
        ids.put(k, size);
        return size++;
    }

    public int size() {
        return size;
    }

    /** "package.Class.method" (or a symbol for native frames, or a class name for synthetic leaves). */
    public String name(int id) {
        return names[id];
    }

    /** Source line, or 0 when unknown. */
    public int line(int id) {
        return lines[id];
    }

    public FrameKind kind(int id) {
        return FrameKind.of(kinds[id]);
    }

    /** name:line when the line is known. */
    public String site(int id) {
        return lines[id] > 0 ? names[id] + ":" + lines[id] : names[id];
    }
}
