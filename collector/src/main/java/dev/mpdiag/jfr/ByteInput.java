package dev.mpdiag.jfr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cursor over one chunk's bytes with JFR's encodings: LEB128 compressed integers (up to 9 bytes, the
 * ninth carrying 8 bits) and tagged strings. Absolute indexing keeps it usable on a shared mapped buffer.
 */
public final class ByteInput {
    private static final int STRING_NULL = 0;
    private static final int STRING_EMPTY = 1;
    private static final int STRING_CONSTANT = 2;
    private static final int STRING_UTF8 = 3;
    private static final int STRING_CHARS = 4;
    private static final int STRING_LATIN1 = 5;

    private final ByteBuffer buf;
    // The backing array of a heap buffer: plain array reads stay fast before the JIT warms up, while a
    // mapped buffer's reads go through scoped memory access (measured: a third of a short run's CPU).
    private final byte[] arr;
    private final int arrOffset;
    private final int limit;
    private int pos;
    private byte[] scratch = new byte[256];
    /** Resolves string constants (encoding 2); set once the java.lang.String pool is known. */
    StringPool stringPool;

    /** Looks up strings stored in the constant pool. */
    interface StringPool {
        String string(long key);
    }

    public ByteInput(ByteBuffer buf) {
        this.buf = buf;
        this.limit = buf.limit();
        this.arr = buf.hasArray() ? buf.array() : null;
        this.arrOffset = buf.hasArray() ? buf.arrayOffset() : 0;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        pos = p;
    }

    public int limit() {
        return limit;
    }

    public byte readByte() {
        if (pos >= limit) {
            throw new IndexOutOfBoundsException(pos);
        }
        return arr != null ? arr[arrOffset + pos++] : buf.get(pos++);
    }

    public int readFixedInt() {
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    public long readFixedLong() {
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readFixedInt());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readFixedLong());
    }

    public int readVarint() {
        return (int) readVarlong();
    }

    public long readVarlong() {
        if (arr != null && pos + 9 <= limit) {
            return readVarlongArray();
        }
        ByteBuffer b = buf;
        int p = pos;
        byte x = b.get(p++);
        if (x >= 0) {
            pos = p;
            return x;
        }
        long r = x & 0x7F;
        for (int shift = 7; shift < 56; shift += 7) {
            x = b.get(p++);
            r |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                pos = p;
                return r;
            }
        }
        r |= (long) (b.get(p++) & 0xFF) << 56;
        pos = p;
        return r;
    }

    /** Moves past a compressed integer without assembling it. */
    public void skipVarlong() {
        if (arr != null && pos + 9 <= limit) {
            byte[] a = arr;
            int q = arrOffset + pos;
            // Bytes 1..8 carry a continuation bit; a ninth byte, if reached, is always the last.
            int last = q + 8;
            while (q < last && a[q] < 0) {
                q++;
            }
            pos = q + 1 - arrOffset;
        } else {
            readVarlong();
        }
    }

    /**
     * Moves past n compressed integers in one pass over the bytes: a varint ends at a byte without the
     * continuation bit, or at its ninth byte. Skipping a stack trace pool is mostly this.
     */
    public void skipVarlongs(long n) {
        if (arr == null) {
            for (long i = 0; i < n; i++) {
                readVarlong();
            }
            return;
        }
        byte[] a = arr;
        int q = arrOffset + pos;
        int end = arrOffset + limit;
        int len = 0;
        long left = n;
        while (left > 0) {
            if (q >= end) {
                throw new IndexOutOfBoundsException(q - arrOffset);
            }
            if (a[q++] >= 0 || ++len == 9) {
                left--;
                len = 0;
            }
        }
        pos = q - arrOffset;
    }

    private long readVarlongArray() {
        byte[] a = arr;
        int p = arrOffset + pos;
        byte x = a[p++];
        if (x >= 0) {
            pos = p - arrOffset;
            return x;
        }
        long r = x & 0x7F;
        for (int shift = 7; shift < 56; shift += 7) {
            x = a[p++];
            r |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                pos = p - arrOffset;
                return r;
            }
        }
        r |= (long) (a[p++] & 0xFF) << 56;
        pos = p - arrOffset;
        return r;
    }

    /** Reads a string in any JFR encoding; a constant-pool string is resolved through the pool. */
    public String readString() throws JfrFormatException {
        int enc = readByte();
        switch (enc) {
            case STRING_NULL:
                return null;
            case STRING_EMPTY:
                return "";
            case STRING_CONSTANT: {
                long key = readVarlong();
                return stringPool == null ? null : stringPool.string(key);
            }
            case STRING_UTF8:
                return new String(bytes(readVarint()), 0, lastLength, StandardCharsets.UTF_8);
            case STRING_LATIN1:
                return new String(bytes(readVarint()), 0, lastLength, StandardCharsets.ISO_8859_1);
            case STRING_CHARS: {
                int n = checkLength(readVarint());
                char[] c = new char[n];
                for (int i = 0; i < n; i++) {
                    c[i] = (char) readVarint();
                }
                return new String(c);
            }
            default:
                throw new JfrFormatException("bad string encoding " + enc + " at offset " + (pos - 1));
        }
    }

    /** Skips a string without building it: the common case for fields nobody reads. */
    public void skipString() throws JfrFormatException {
        int enc = readByte();
        switch (enc) {
            case STRING_NULL, STRING_EMPTY -> { }
            case STRING_CONSTANT -> readVarlong();
            case STRING_UTF8, STRING_LATIN1 -> {
                // Read the length first: "pos += f()" would add to the position from before f() moved it.
                int n = checkLength(readVarint());
                pos += n;
            }
            case STRING_CHARS -> {
                int n = checkLength(readVarint());
                for (int i = 0; i < n; i++) {
                    readVarint();
                }
            }
            default -> throw new JfrFormatException("bad string encoding " + enc + " at offset " + (pos - 1));
        }
    }

    private int lastLength;

    private byte[] bytes(int n) throws JfrFormatException {
        checkLength(n);
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        buf.get(pos, scratch, 0, n);
        pos += n;
        lastLength = n;
        return scratch;
    }

    private int checkLength(int n) throws JfrFormatException {
        if (n < 0 || n > limit - pos) {
            throw new JfrFormatException("string length " + n + " runs past the chunk at offset " + pos);
        }
        return n;
    }
}
