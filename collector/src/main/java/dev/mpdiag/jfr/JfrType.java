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
