package dev.mpdiag.jfr;

import java.util.ArrayList;
import java.util.List;

/**
 * The current event of one type, decoded into reused slots: numbers and constant-pool keys as longs,
 * floating point as raw bits, strings as Strings. One slot per leaf field; a nested struct's fields
 * are flattened as "outer.inner". Handlers look slots up once per chunk and read them per event.
 */
public final class EventView {
    private static final int OP_VARINT = 0;
    private static final int OP_BYTE = 1;
    private static final int OP_FLOAT = 2;
    private static final int OP_DOUBLE = 3;
    private static final int OP_STRING = 4;
    private static final int OP_SKIP = 5;
    private static final int MAX_FLATTEN_DEPTH = 2;

    private final JfrType type;
    private final ChunkHeader header;
    private final List<String> names = new ArrayList<>();
    private final List<JfrType> slotTypes = new ArrayList<>();
    private final List<Integer> opList = new ArrayList<>();
    private final List<JfrField> skipFields = new ArrayList<>();
    private int[] ops;
    private int[] opSlot;
    private JfrField[] opField;
    final long[] longs;
    final String[] strings;
    private final boolean[] isCp;

    EventView(JfrType type, ChunkHeader header) {
        this.type = type;
        this.header = header;
        List<Integer> slots = new ArrayList<>();
        List<Boolean> cp = new ArrayList<>();
        compile(type, "", 0, slots, cp);
        int n = opList.size();
        ops = new int[n];
        opSlot = new int[n];
        opField = new JfrField[n];
        for (int i = 0; i < n; i++) {
            ops[i] = opList.get(i);
            opSlot[i] = slots.get(i);
            opField[i] = skipFields.get(i);
        }
        longs = new long[names.size()];
        strings = new String[names.size()];
        isCp = new boolean[names.size()];
        for (int i = 0; i < isCp.length; i++) {
            isCp[i] = cp.get(i);
        }
    }

    private void compile(JfrType t, String prefix, int depth, List<Integer> slots, List<Boolean> cp) {
        for (JfrField f : t.fields) {
            String name = prefix + f.name;
            if (f.dimension > 0) {
                addOp(OP_SKIP, -1, f, slots);
            } else if (f.constantPool) {
                addOp(OP_VARINT, newSlot(name, f.type, true, cp), f, slots);
            } else if (f.type.kind == JfrType.Kind.STRUCT) {
                if (depth < MAX_FLATTEN_DEPTH) {
                    compile(f.type, name + ".", depth + 1, slots, cp);
                } else {
                    addOp(OP_SKIP, -1, f, slots);
                }
            } else {
                int op = switch (f.type.kind) {
                    case VARINT -> OP_VARINT;
                    case BYTE -> OP_BYTE;
                    case FLOAT -> OP_FLOAT;
                    case DOUBLE -> OP_DOUBLE;
                    default -> OP_STRING;
                };
                addOp(op, newSlot(name, f.type, false, cp), f, slots);
            }
        }
    }

    private int newSlot(String name, JfrType t, boolean constantPool, List<Boolean> cp) {
        names.add(name);
        slotTypes.add(t);
        cp.add(constantPool);
        return names.size() - 1;
    }

    private void addOp(int op, int slot, JfrField f, List<Integer> slots) {
        opList.add(op);
        slots.add(slot);
        skipFields.add(f);
    }

    void decode(ByteInput in) throws JfrFormatException {
        int[] o = ops;
        for (int i = 0; i < o.length; i++) {
            int s = opSlot[i];
            switch (o[i]) {
                case OP_VARINT -> longs[s] = in.readVarlong();
                case OP_BYTE -> longs[s] = in.readByte();
                case OP_FLOAT -> longs[s] = Double.doubleToRawLongBits(in.readFloat());
                case OP_DOUBLE -> longs[s] = in.readFixedLong();
                case OP_STRING -> strings[s] = in.readString();
                default -> ValueSkipper.skip(in, opField[i]);
            }
        }
    }

    public JfrType type() {
        return type;
    }

    public ChunkHeader header() {
        return header;
    }

    /** Slot of a (possibly dotted) field name, or -1 when this chunk's type lacks it. */
    public int slot(String name) {
        return names.indexOf(name);
    }

    /** Type of the value in a slot (for a constant-pool slot, the pool's type). */
    public JfrType slotType(int slot) {
        return slotTypes.get(slot);
    }

    public boolean isConstantPool(int slot) {
        return isCp[slot];
    }

    public long getLong(int slot) {
        return slot < 0 ? 0 : longs[slot];
    }

    public double getDouble(int slot) {
        return slot < 0 ? Double.NaN : Double.longBitsToDouble(longs[slot]);
    }

    public String getString(int slot) {
        return slot < 0 ? null : strings[slot];
    }
}
