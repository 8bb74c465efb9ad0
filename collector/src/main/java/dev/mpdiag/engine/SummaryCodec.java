package dev.mpdiag.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Turns a Summary into bytes and back, so a chunk is summarized once and its summary kept beside it.
 *
 * <p>Layout: a 21-byte header (magic "MPDS", version, flags, body length, stored length, CRC-32 of the
 * stored bytes; ints big-endian), then the body, deflated when flag bit 0 is set. The body is a string
 * table, then jvm (with the max heap), time range and chunk count, frames, stacks, profiles, series,
 * locks, gc, thread patterns (ends and start sites), old-object samples, event counts, warnings, heat and pauses, in that
 * order, with integers as LEB128 varints (zigzag when signed). Strings are referred to by table index, so a
 * frame name shared by many lines is stored once. Enums are stored by ordinal: reordering FrameKind,
 * ProfileType, Series.Kind or LockStats.Kind, or changing the layout, needs a new VERSION.
 *
 * <p>Version 2 added the max heap, thread patterns and old-object samples; version 3 appends each profile's
 * heat (20 ms cells) and the stop-the-world pauses, and still reads version 2. Version 1 is refused.
 */
public final class SummaryCodec {
    static final int MAGIC = 0x4D504453;
    static final int VERSION = 3;
    /** Summaries stored by the previous build stay readable; they have no heat or pauses. */
    static final int OLDEST_READABLE = 2;
    static final int HEADER_SIZE = 21;
    private static final int FLAG_DEFLATED = 1;
    /** Deflate expands at most about 1032:1, so a body length claimed beyond that is corrupt. */
    private static final int MAX_DEFLATE_RATIO = 1032;

    private SummaryCodec() {
    }

    public static byte[] encode(Summary summary) {
        return encode(summary, true);
    }

    static byte[] encode(Summary summary, boolean deflate) {
        VarintOutput body = SummaryEncoder.encode(summary);
        byte[] out;
        int stored;
        if (deflate) {
            out = new byte[HEADER_SIZE + body.size() / 3 + 64];
            // Measured on a 13 MB dense chunk (1.76 MB body): level 1 gives 631 KB in 31 ms, the default
            // level 510 KB in 89 ms. Encoding sits on the ingest path; the extra bytes are cheap on disk.
            Deflater d = new Deflater(Deflater.BEST_SPEED);
            try {
                d.setInput(body.array(), 0, body.size());
                d.finish();
                stored = 0;
                while (!d.finished()) {
                    if (HEADER_SIZE + stored == out.length) {
                        out = Arrays.copyOf(out, out.length * 2);
                    }
                    stored += d.deflate(out, HEADER_SIZE + stored, out.length - HEADER_SIZE - stored);
                }
            } finally {
                d.end();
            }
            out = Arrays.copyOf(out, HEADER_SIZE + stored);
        } else {
            stored = body.size();
            out = new byte[HEADER_SIZE + stored];
            System.arraycopy(body.array(), 0, out, HEADER_SIZE, stored);
        }
        CRC32 crc = new CRC32();
        crc.update(out, HEADER_SIZE, stored);
        ByteBuffer.wrap(out)
                .putInt(MAGIC)
                .putInt(VERSION)
                .put((byte) (deflate ? FLAG_DEFLATED : 0))
                .putInt(body.size())
                .putInt(stored)
                .putInt((int) crc.getValue());
        return out;
    }

    /** Reads what encode wrote; anything else (wrong magic or version, truncated, corrupt) is an IOException. */
    public static Summary decode(byte[] bytes) throws IOException {
        if (bytes.length < HEADER_SIZE) {
            throw new IOException("not a summary: " + bytes.length + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes);
        int magic = h.getInt();
        if (magic != MAGIC) {
            throw new IOException(String.format("not a summary: starts 0x%08x, not 0x%08x (\"MPDS\")", magic, MAGIC));
        }
        int version = h.getInt();
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new IOException("summary format version " + version + "; this build reads versions "
                    + OLDEST_READABLE + " to " + VERSION);
        }
        int flags = h.get();
        if ((flags & ~FLAG_DEFLATED) != 0) {
            throw new IOException("corrupt summary: unknown flags 0x" + Integer.toHexString(flags & 0xFF));
        }
        int bodyLength = h.getInt();
        int stored = h.getInt();
        int expectedCrc = h.getInt();
        int have = bytes.length - HEADER_SIZE;
        if (stored != have) {
            throw new IOException((stored > have || stored < 0 ? "truncated summary: " : "corrupt summary: ")
                    + "header says " + stored + " bytes follow, found " + have);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, HEADER_SIZE, stored);
        if ((int) crc.getValue() != expectedCrc) {
            throw new IOException("corrupt summary: checksum mismatch");
        }
        if ((flags & FLAG_DEFLATED) == 0) {
            if (bodyLength != stored) {
                throw new IOException("corrupt summary: body length " + bodyLength + " but " + stored + " bytes stored");
            }
            return SummaryDecoder.decode(bytes, HEADER_SIZE, stored, version);
        }
        if (bodyLength < 0 || bodyLength > (long) stored * MAX_DEFLATE_RATIO + 64) {
            throw new IOException("corrupt summary: body length " + bodyLength + " from " + stored + " deflated bytes");
        }
        return SummaryDecoder.decode(inflate(bytes, stored, bodyLength), 0, bodyLength, version);
    }

    /** Inflates into a buffer that grows as output arrives, up to the declared length and never past it. */
    private static byte[] inflate(byte[] bytes, int stored, int bodyLength) throws IOException {
        byte[] body = new byte[(int) Math.min(bodyLength, Math.max(4096L, stored * 4L))];
        int n = 0;
        Inflater inf = new Inflater();
        try {
            inf.setInput(bytes, HEADER_SIZE, stored);
            while (!inf.finished()) {
                if (n == body.length) {
                    if (n == bodyLength) {
                        throw new IOException("corrupt summary: inflates past its declared " + bodyLength + " bytes");
                    }
                    body = Arrays.copyOf(body, (int) Math.min(bodyLength, n * 2L));
                }
                int got = inf.inflate(body, n, body.length - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IOException("corrupt summary: deflated body ends early");
                }
                n += got;
            }
            if (n != bodyLength || inf.getRemaining() != 0) {
                throw new IOException("corrupt summary: body inflates to " + n + " bytes, header says " + bodyLength);
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt summary: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
        return body;
    }
}
