package dev.mpdiag.jfr;

import java.nio.ByteBuffer;

/** The fixed 68-byte header that starts every JFR chunk (big-endian, not compressed). */
public final class ChunkHeader {
    public static final int SIZE = 68;
    /** "FLR\0" */
    public static final int MAGIC = 0x464C5200;
    private static final int FEATURE_COMPRESSED_INTS = 1;

    public final int major;
    public final int minor;
    public final long chunkSize;
    public final long constantPoolOffset;
    public final long metadataOffset;
    public final long startNanos;
    public final long durationNanos;
    public final long startTicks;
    public final long ticksPerSecond;
    public final int features;

    private ChunkHeader(ByteBuffer b, int o) {
        major = b.getShort(o + 4) & 0xFFFF;
        minor = b.getShort(o + 6) & 0xFFFF;
        chunkSize = b.getLong(o + 8);
        constantPoolOffset = b.getLong(o + 16);
        metadataOffset = b.getLong(o + 24);
        startNanos = b.getLong(o + 32);
        durationNanos = b.getLong(o + 40);
        startTicks = b.getLong(o + 48);
        ticksPerSecond = b.getLong(o + 56);
        features = b.getInt(o + 64);
    }

    /** Reads the header at absolute offset o, checking the magic and the format version. */
    public static ChunkHeader read(ByteBuffer b, long o) throws JfrFormatException {
        if (b.limit() - o < SIZE) {
            throw new JfrFormatException("truncated chunk header at offset " + o);
        }
        if (b.getInt((int) o) != MAGIC) {
            throw new JfrFormatException(o == 0 ? "not a JFR file (no FLR magic)" : "no chunk magic at offset " + o);
        }
        ChunkHeader h = new ChunkHeader(b, (int) o);
        if (h.major != 2) {
            throw new JfrFormatException("unsupported JFR format version " + h.major + "." + h.minor
                    + " (JDK 11 and later write 2.x)");
        }
        if ((h.features & FEATURE_COMPRESSED_INTS) == 0) {
            throw new JfrFormatException("unsupported JFR chunk without compressed integers");
        }
        return h;
    }

    /** Epoch nanoseconds of a tick value inside this chunk. */
    public long ticksToNanos(long ticks) {
        return startNanos + (long) ((ticks - startTicks) * (1e9 / ticksPerSecond));
    }

    /** A duration in ticks as nanoseconds. */
    public long durationToNanos(long ticks) {
        return (long) (ticks * (1e9 / ticksPerSecond));
    }
}
