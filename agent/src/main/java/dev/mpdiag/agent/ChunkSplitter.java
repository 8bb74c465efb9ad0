package dev.mpdiag.agent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a stream of whole JFR chunks (what {@code Recording.getStream} returns) at the chunk headers and
 * keeps the chunks that start after a given time, holding at most a byte budget in memory.
 */
final class ChunkSplitter {

    // A Java array holds a little less than Integer.MAX_VALUE bytes.
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private ChunkSplitter() {
    }

    /** What one pass over a stream found. */
    static final class Result {
        /** The new chunks, whole, in stream order; empty when they did not fit the budget. */
        final List<byte[]> chunks = new ArrayList<>();
        /** Start time of the newest new chunk, or the {@code afterStartNanos} passed in when none was new. */
        long newestStartNanos;
        /** End (start plus duration) of the newest new chunk, epoch nanos; Long.MIN_VALUE when none was new. */
        long newestEndNanos = Long.MIN_VALUE;
        /** Bytes of the new chunks, kept or not. */
        long newBytes;
        int newChunks;
        int duplicates;
        /** True when the new chunks together exceeded the budget, so none were kept. */
        boolean overBudget;
    }

    /**
     * Reads {@code in} to its end. A chunk whose start is not after {@code afterStartNanos} was taken by an
     * earlier cut (a copy can hand the same chunk out again) and is skipped without being held in memory.
     */
    static Result read(InputStream in, long afterStartNanos, long budgetBytes) throws IOException {
        Result r = new Result();
        r.newestStartNanos = afterStartNanos;
        long kept = 0;
        byte[] header = new byte[ChunkHeader.SIZE];
        while (readHeader(in, header)) {
            ChunkHeader h = ChunkHeader.parse(header);
            long body = h.chunkSize - ChunkHeader.SIZE;
            if (h.startNanos <= afterStartNanos) {
                r.duplicates++;
                skipFully(in, body);
                continue;
            }
            r.newChunks++;
            r.newBytes += h.chunkSize;
            if (h.startNanos > r.newestStartNanos) {
                r.newestStartNanos = h.startNanos;
                r.newestEndNanos = h.startNanos + h.durationNanos;
            }
            if (!r.overBudget && kept + h.chunkSize <= budgetBytes && h.chunkSize <= MAX_ARRAY) {
                byte[] chunk = new byte[(int) h.chunkSize];
                System.arraycopy(header, 0, chunk, 0, ChunkHeader.SIZE);
                readFully(in, chunk, ChunkHeader.SIZE, (int) body);
                r.chunks.add(chunk);
                kept += h.chunkSize;
            } else {
                // Over budget: let go of what this cut holds and only count the rest, so memory stays bounded.
                r.overBudget = true;
                r.chunks.clear();
                skipFully(in, body);
            }
        }
        return r;
    }

    /** Fills {@code header}; false at a clean end of stream, an exception when the stream ends inside it. */
    private static boolean readHeader(InputStream in, byte[] header) throws IOException {
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) {
            return false;
        }
        if (n < header.length) {
            throw new EOFException("JFR stream ends inside a chunk header");
        }
        return true;
    }

    private static void readFully(InputStream in, byte[] into, int offset, int length) throws IOException {
        if (in.readNBytes(into, offset, length) < length) {
            throw new EOFException("JFR stream ends inside a chunk");
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("JFR stream ends inside a chunk");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
