package dev.mpdiag.engine;

import java.io.IOException;

/**
 * Reads what {@link VarintOutput} writes, checking every read against the end of the bytes: a corrupt
 * input fails with an IOException naming the offset, and no length is trusted beyond what could fit.
 */
final class VarintInput {
    private final byte[] buf;
    private final int limit;
    private int pos;
    private char[] chars = new char[64];

    VarintInput(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    IOException corrupt(String what) {
        return new IOException("corrupt summary at byte " + pos + ": " + what);
    }

    int readByte() throws IOException {
        if (pos >= limit) {
            throw corrupt("truncated");
        }
        return buf[pos++] & 0xFF;
    }

    long readVarLong() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            // The tenth byte holds the top bit only.
            if (shift == 63 && b > 1) {
                throw corrupt("varint longer than 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return v;
            }
        }
        throw corrupt("varint longer than 64 bits");
    }

    long readSignedVarLong() throws IOException {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** A non-negative int below bound, such as a table index. */
    int readIndex(int bound, String what) throws IOException {
        long v = readVarLong();
        if (v < 0 || v >= bound) {
            throw corrupt(what + " " + Long.toUnsignedString(v) + " out of range 0.." + (bound - 1));
        }
        return (int) v;
    }

    /**
     * A count of elements that each take at least minBytes, capped by what the remaining bytes can hold,
     * so a corrupt count fails here instead of sizing an array.
     */
    int readCount(int minBytes, String what) throws IOException {
        long v = readVarLong();
        if (v < 0 || v > remaining() / minBytes) {
            throw corrupt(what + " count " + Long.toUnsignedString(v) + " exceeds the " + remaining() + " bytes left");
        }
        return (int) v;
    }

    long readFixedLong() throws IOException {
        if (remaining() < 8) {
            throw corrupt("truncated");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    String readString() throws IOException {
        int n = readCount(1, "string byte");
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        int end = pos + n;
        int len = 0;
        while (pos < end) {
            int a = buf[pos++] & 0xFF;
            if (a < 0x80) {
                chars[len++] = (char) a;
            } else if ((a & 0xE0) == 0xC0) {
                chars[len++] = (char) (((a & 0x1F) << 6) | continuation(end));
            } else if ((a & 0xF0) == 0xE0) {
                int b = continuation(end);
                chars[len++] = (char) (((a & 0x0F) << 12) | (b << 6) | continuation(end));
            } else {
                throw corrupt("bad string byte 0x" + Integer.toHexString(a));
            }
        }
        return new String(chars, 0, len);
    }

    private int continuation(int end) throws IOException {
        if (pos >= end || (buf[pos] & 0xC0) != 0x80) {
            throw corrupt("bad string encoding");
        }
        return buf[pos++] & 0x3F;
    }
}
