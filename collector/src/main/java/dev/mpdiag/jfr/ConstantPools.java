package dev.mpdiag.jfr;

import dev.mpdiag.collections.LongIntMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The constant pools of one chunk. Reading them only records where each entry's value starts;
 * values are decoded when first asked for, so a pool entry no event references costs nothing.
 */
public final class ConstantPools {
    private static final int CHECKPOINT_TYPE = 1;
    private static final int ABSENT = -1;

    private final ByteInput in;
    private final Metadata metadata;
    private final Map<Long, LongIntMap> positions = new HashMap<>();
    private final Map<Long, Map<Long, Object>> decoded = new HashMap<>();
    private final JfrType stringType;

    ConstantPools(ByteInput in, Metadata metadata, ChunkHeader header) throws JfrFormatException {
        this.in = in;
        this.metadata = metadata;
        this.stringType = metadata.type("java.lang.String");
        // Checkpoints chain backwards from the header's offset through relative deltas; 0 ends the chain.
        long offset = header.constantPoolOffset;
        int guard = 0;
        while (true) {
            if (offset <= 0 || offset >= in.limit() || ++guard > 1_000_000) {
                throw new JfrFormatException("corrupt constant pool chain at offset " + offset);
            }
            in.position((int) offset);
            in.readVarlong(); // size
            if (in.readVarlong() != CHECKPOINT_TYPE) {
                throw new JfrFormatException("expected a constant pool at offset " + offset);
            }
            in.readVarlong(); // start
            in.readVarlong(); // duration
            long delta = in.readVarlong();
            in.readByte(); // checkpoint kind (flush, chunk header, statics, thread)
            readPools();
            if (delta == 0) {
                break;
            }
            offset += delta;
        }
        in.stringPool = key -> (String) value(stringType, key);
    }

    private void readPools() throws JfrFormatException {
        int poolCount = in.readVarint();
        for (int p = 0; p < poolCount; p++) {
            long typeId = in.readVarlong();
            JfrType type = metadata.type(typeId);
            if (type == null) {
                throw new JfrFormatException("constant pool of unknown type " + typeId + " at offset " + in.position());
            }
            int count = in.readVarint();
            if (count < 0 || count > in.limit() - in.position()) {
                throw new JfrFormatException("constant pool count " + count + " out of range");
            }
            LongIntMap map = positions.computeIfAbsent(typeId, k -> new LongIntMap(Math.max(16, count)));
            for (int i = 0; i < count; i++) {
                long key = in.readVarlong();
                map.put(key, in.position());
                ValueSkipper.skipValue(in, type, 0);
            }
        }
    }

    /** Byte offset where the pool entry's value starts, or -1 when the key is not in the pool. */
    public int position(JfrType type, long key) {
        LongIntMap map = positions.get(type.id);
        return map == null ? ABSENT : map.get(key, ABSENT);
    }

    /**
     * The decoded value of a pool entry: String for strings, Long or Double for numbers, Object[] for a
     * struct (one element per field; a constant-pool reference stays a Long key, resolved by asking again).
     * Cached per entry. Null when the key is absent.
     */
    public Object value(JfrType type, long key) {
        if (type == null) {
            return null;
        }
        Map<Long, Object> cache = decoded.computeIfAbsent(type.id, k -> new HashMap<>());
        Object v = cache.get(key);
        if (v == null && !cache.containsKey(key)) {
            int pos = position(type, key);
            if (pos == ABSENT) {
                return null;
            }
            int saved = in.position();
            try {
                in.position(pos);
                v = decode(type, 0);
            } catch (JfrFormatException | RuntimeException e) {
                v = null;
            } finally {
                in.position(saved);
            }
            cache.put(key, v);
        }
        return v;
    }

    /** Follows a field of a pool struct: field value of entry key in type, resolving one reference level. */
    public Object field(JfrType type, long key, String fieldName) {
        Object v = value(type, key);
        if (!(v instanceof Object[] arr)) {
            return null;
        }
        int i = type.fieldIndex(fieldName);
        if (i < 0) {
            return null;
        }
        JfrField f = type.fields[i];
        Object raw = arr[i];
        if (f.constantPool && f.dimension == 0 && raw instanceof Long ref) {
            return value(f.type, ref);
        }
        return raw;
    }

    Object decode(JfrType type, int depth) throws JfrFormatException {
        switch (type.kind) {
            case VARINT:
                return in.readVarlong();
            case BYTE:
                return (long) in.readByte();
            case FLOAT:
                return (double) in.readFloat();
            case DOUBLE:
                return in.readDouble();
            case STRING:
                return in.readString();
            default:
                if (depth > 16) {
                    throw new JfrFormatException("struct nesting too deep in " + type.name);
                }
                Object[] out = new Object[type.fields.length];
                for (int i = 0; i < out.length; i++) {
                    JfrField f = type.fields[i];
                    if (f.dimension > 0) {
                        int n = in.readVarint();
                        if (n < 0 || n > in.limit() - in.position()) {
                            throw new JfrFormatException("array length out of range");
                        }
                        Object[] arr = new Object[n];
                        for (int j = 0; j < n; j++) {
                            arr[j] = f.constantPool ? (Object) in.readVarlong() : decode(f.type, depth + 1);
                        }
                        out[i] = arr;
                    } else {
                        out[i] = f.constantPool ? (Object) in.readVarlong() : decode(f.type, depth + 1);
                    }
                }
                return out;
        }
    }

    ByteInput input() {
        return in;
    }
}
