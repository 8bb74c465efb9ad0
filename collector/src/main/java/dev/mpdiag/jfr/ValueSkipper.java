package dev.mpdiag.jfr;

/** Moves past a value of any JFR type, guided by the metadata; used for fields and pool entries nobody reads. */
final class ValueSkipper {
    private ValueSkipper() {
    }

    static void skip(ByteInput in, JfrField f) throws JfrFormatException {
        if (f.dimension > 0) {
            int n = in.readVarint();
            if (n < 0 || n > in.limit() - in.position()) {
                throw new JfrFormatException("array length " + n + " out of range at offset " + in.position());
            }
            int flat = f.constantPool ? 1 : f.type.flatVarints();
            if (flat >= 0) {
                in.skipVarlongs((long) n * flat);
                return;
            }
            for (int i = 0; i < n; i++) {
                skipOne(in, f);
            }
        } else {
            skipOne(in, f);
        }
    }

    private static void skipOne(ByteInput in, JfrField f) throws JfrFormatException {
        if (f.constantPool) {
            in.skipVarlong();
        } else {
            skipValue(in, f.type, 0);
        }
    }

    static void skipValue(ByteInput in, JfrType t, int depth) throws JfrFormatException {
        switch (t.kind) {
            case VARINT -> in.skipVarlong();
            case BYTE -> in.readByte();
            case FLOAT -> in.position(in.position() + 4);
            case DOUBLE -> in.position(in.position() + 8);
            case STRING -> in.skipString();
            case STRUCT -> {
                int flat = t.flatVarints();
                if (flat >= 0) {
                    in.skipVarlongs(flat);
                    return;
                }
                if (depth > 16) {
                    throw new JfrFormatException("struct nesting too deep in " + t.name);
                }
                for (JfrField f : t.fields) {
                    if (f.dimension > 0) {
                        skip(in, f);
                    } else if (f.constantPool) {
                        in.readVarlong();
                    } else {
                        skipValue(in, f.type, depth + 1);
                    }
                }
            }
        }
    }
}
