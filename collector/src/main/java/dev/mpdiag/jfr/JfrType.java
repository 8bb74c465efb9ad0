package dev.mpdiag.jfr;

import java.util.ArrayList;
import java.util.List;

/** A JFR type (event, struct, or primitive) with its fields in wire order. */
public final class JfrType {
    /** How a value of this type is laid out on the wire. */
    public enum Kind { VARINT, BYTE, FLOAT, DOUBLE, STRING, STRUCT }

    public final long id;
    public final String name;
    public final String superType;
    final List<JfrField> fieldList = new ArrayList<>();
    JfrField[] fields;
    Kind kind;
    /**
     * For a struct made only of integers and pool references (jdk.types.StackFrame, say), how many varints
     * it spans on the wire, so skipping it is a tight loop; -1 when it holds anything else.
     */
    int flatVarints = -2;

    JfrType(long id, String name, String superType) {
        this.id = id;
        this.name = name;
        this.superType = superType;
    }

    public JfrField[] fields() {
        return fields;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isEvent() {
        return "jdk.jfr.Event".equals(superType);
    }

    /** Index of the named field, or -1. */
    public int fieldIndex(String fieldName) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name.equals(fieldName)) {
                return i;
            }
        }
        return -1;
    }

    int flatVarints() {
        if (flatVarints != -2) {
            return flatVarints;
        }
        flatVarints = -1; // guards against self-referencing types while computing
        if (kind != Kind.STRUCT) {
            return -1;
        }
        int n = 0;
        for (JfrField f : fields) {
            if (f.dimension > 0) {
                return flatVarints = -1;
            }
            if (f.constantPool || f.type.kind == Kind.VARINT) {
                n++;
            } else if (f.type.kind == Kind.STRUCT && f.type.flatVarints() >= 0) {
                n += f.type.flatVarints();
            } else {
                return flatVarints = -1;
            }
        }
        return flatVarints = n;
    }

    void resolveKind() {
        kind = switch (name) {
            case "int", "long", "short", "char" -> Kind.VARINT;
            case "byte", "boolean" -> Kind.BYTE;
            case "float" -> Kind.FLOAT;
            case "double" -> Kind.DOUBLE;
            case "java.lang.String" -> Kind.STRING;
            default -> Kind.STRUCT;
        };
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
