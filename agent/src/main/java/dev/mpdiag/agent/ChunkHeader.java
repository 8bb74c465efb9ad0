package dev.mpdiag.agent;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The fixed 68-byte header at the start of every JFR chunk (big-endian), as far as cutting needs it. */
final class ChunkHeader {

    static final int SIZE = 68;
    private static final int MAGIC = 0x464C5200; // "FLR\0"
    private static final int CHUNK_SIZE_OFFSET = 8;
    private static final int START_NANOS_OFFSET = 32;
    private static final int DURATION_NANOS_OFFSET = 40;

    final int major;
    final int minor;
    /** Bytes in the whole chunk, header included. */
    final long chunkSize;
    /** Chunk start, epoch nanoseconds: the key that tells a chunk apart from every other of this JVM. */
    final long startNanos;
    final long durationNanos;

    private ChunkHeader(int major, int minor, long chunkSize, long startNanos, long durationNanos) {
        this.major = major;
        this.minor = minor;
        this.chunkSize = chunkSize;
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
    }

    /** Reads the header from {@code bytes[0..68)}; throws when it is not a finished JFR chunk's header. */
    static ChunkHeader parse(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE); // big-endian by default, like JFR
        if (b.getInt(0) != MAGIC) {
            throw new IOException("not a JFR chunk (bad magic)");
        }
        long size = b.getLong(CHUNK_SIZE_OFFSET);
        if (size < SIZE) {
            throw new IOException("JFR chunk size " + size + " is smaller than its header");
        }
        return new ChunkHeader(b.getShort(4) & 0xFFFF, b.getShort(6) & 0xFFFF, size,
                b.getLong(START_NANOS_OFFSET), b.getLong(DURATION_NANOS_OFFSET));
    }

    @Override
    public String toString() {
        return "chunk v" + major + "." + minor + " start=" + startNanos + " duration=" + durationNanos
                + " size=" + chunkSize;
    }
}
