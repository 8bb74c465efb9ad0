package dev.mpdiag.jfr;

import java.util.HashMap;
import java.util.Map;

/** The type system of one chunk, read from its metadata event. */
public final class Metadata {
    private final Map<Long, JfrType> byId = new HashMap<>();
    private final Map<String, JfrType> byName = new HashMap<>();

    public JfrType type(long id) {
        return byId.get(id);
    }

    public JfrType type(String name) {
        return byName.get(name);
    }

    /** Reads the metadata event at in's position. */
    static Metadata read(ByteInput in) throws JfrFormatException {
        int start = in.position();
        long size = in.readVarlong();
        long typeId = in.readVarlong();
        if (typeId != 0 || size <= 0 || start + size > in.limit()) {
            throw new JfrFormatException("corrupt metadata event at offset " + start);
        }
        in.readVarlong(); // start time
        in.readVarlong(); // duration
        in.readVarlong(); // metadata id
        int n = in.readVarint();
        if (n < 0 || n > size) {
            throw new JfrFormatException("corrupt metadata string table at offset " + start);
        }
        String[] strings = new String[n];
        for (int i = 0; i < n; i++) {
            strings[i] = in.readString();
        }
        Metadata md = new Metadata();
        md.readElement(in, strings, null, 0);
        for (JfrType t : md.byId.values()) {
            t.resolveKind();
            t.fields = t.fieldList.toArray(new JfrField[0]);
            for (JfrField f : t.fields) {
                f.type = md.byId.get(f.typeId);
                if (f.type == null) {
                    throw new JfrFormatException("field " + t.name + "." + f.name + " has unknown type " + f.typeId);
                }
            }
        }
        // Computed now rather than on first use, so a Metadata shared between threads (MetadataCache) is never
        // written to after it is published.
        for (JfrType t : md.byId.values()) {
            t.flatVarints();
        }
        return md;
    }

    // Elements: root > metadata > class > field|annotation|setting; only classes and their fields matter here.
    private void readElement(ByteInput in, String[] s, JfrType owner, int depth) throws JfrFormatException {
        if (depth > 32) {
            throw new JfrFormatException("metadata nested too deep");
        }
        String element = str(s, in.readVarint());
        int attrCount = in.readVarint();
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i < attrCount; i++) {
            attrs.put(str(s, in.readVarint()), str(s, in.readVarint()));
        }
        JfrType current = owner;
        if ("class".equals(element)) {
            long id = Long.parseLong(attrs.get("id"));
            current = new JfrType(id, attrs.get("name"), attrs.get("superType"));
            byId.put(id, current);
            byName.put(current.name, current);
        } else if ("field".equals(element) && owner != null && depth == 3) {
            String dim = attrs.get("dimension");
            owner.fieldList.add(new JfrField(attrs.get("name"), Long.parseLong(attrs.get("class")),
                    "true".equals(attrs.get("constantPool")), dim == null ? 0 : Integer.parseInt(dim)));
        }
        int children = in.readVarint();
        for (int i = 0; i < children; i++) {
            readElement(in, s, current, depth + 1);
        }
    }

    private static String str(String[] s, int i) throws JfrFormatException {
        if (i < 0 || i >= s.length) {
            throw new JfrFormatException("metadata string index " + i + " out of range");
        }
        return s[i];
    }
}
