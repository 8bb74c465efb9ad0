package dev.mpdiag.jfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits JFR bytes at chunk boundaries. Chunks are self-contained (own metadata and constant pools),
 * so each slice can be parsed on its own thread. A truncated tail is reported, not fatal, as long as
 * at least one chunk is intact.
 */
public final class ChunkSplitter {
    /** Chunks found, plus a warning when something at the end had to be skipped. */
    public record Split(List<ByteBuffer> chunks, String warning) {
    }

    private ChunkSplitter() {
    }

    /** Maps the file (off-heap, so large recordings do not count against -Xmx) and splits it. */
    public static Split split(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new JfrFormatException("no such file");
        }
        if (Files.isDirectory(file)) {
            throw new JfrFormatException("is a directory, not a .jfr file");
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new JfrFormatException("empty file");
        }
        if (size > Integer.MAX_VALUE) {
            return splitLarge(file, size);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return split(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    // A ByteBuffer indexes by int, so a file over 2 GB is mapped chunk by chunk.
    private static Split splitLarge(Path file, long size) throws IOException {
        List<ByteBuffer> chunks = new ArrayList<>();
        String warning = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            while (pos < size) {
                ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(ChunkHeader.SIZE, size - pos));
                String problem = problemAt(head, 0, size - pos);
                if (problem != null) {
                    if (chunks.isEmpty()) {
                        throw new JfrFormatException(problem);
                    }
                    warning = skippedWarning(problem, pos, size, chunks.size());
                    break;
                }
                long chunkSize = head.getLong(8);
                chunks.add(ch.map(FileChannel.MapMode.READ_ONLY, pos, chunkSize));
                pos += chunkSize;
            }
        }
        return new Split(chunks, warning);
    }

    /** Splits bytes that hold one or more whole chunks (an upload, a file read into memory). */
    public static Split split(ByteBuffer all) throws JfrFormatException {
        List<ByteBuffer> chunks = new ArrayList<>();
        String warning = null;
        long pos = 0;
        long limit = all.limit();
        if (limit == 0) {
            throw new JfrFormatException("empty input");
        }
        while (pos < limit) {
            String problem = problemAt(all, pos, limit - pos);
            if (problem != null) {
                if (chunks.isEmpty()) {
                    throw new JfrFormatException(problem);
                }
                warning = skippedWarning(problem, pos, limit, chunks.size());
                break;
            }
            long chunkSize = all.getLong((int) pos + 8);
            chunks.add(all.slice((int) pos, (int) chunkSize));
            pos += chunkSize;
        }
        return new Split(chunks, warning);
    }

    private static String skippedWarning(String problem, long pos, long limit, int intact) {
        return "skipped " + (limit - pos) + " bytes at offset " + pos + " (" + problem + "); analyzed the "
                + intact + " intact chunk" + (intact == 1 ? "" : "s") + " before it";
    }

    // Returns null when a complete, plausible chunk starts at pos, else why not.
    private static String problemAt(ByteBuffer b, long pos, long remaining) {
        if (remaining < ChunkHeader.SIZE) {
            return pos == 0 ? "too short to be JFR (" + remaining + " bytes)" : "truncated chunk header";
        }
        if (b.getInt((int) pos) != ChunkHeader.MAGIC) {
            return pos == 0 ? "not a JFR file (no FLR magic)" : "no chunk magic";
        }
        int major = b.getShort((int) pos + 4) & 0xFFFF;
        int minor = b.getShort((int) pos + 6) & 0xFFFF;
        if (major != 2) {
            return "unsupported JFR format version " + major + "." + minor + " (JDK 11 and later write 2.x)";
        }
        long chunkSize = b.getLong((int) pos + 8);
        if (chunkSize == 0) {
            return "chunk still being written (size 0)";
        }
        if (chunkSize < ChunkHeader.SIZE || chunkSize > remaining) {
            return "truncated chunk: header says " + chunkSize + " bytes, " + remaining + " present";
        }
        long meta = b.getLong((int) pos + 24);
        long cp = b.getLong((int) pos + 16);
        if (meta <= 0 || meta >= chunkSize || cp <= 0 || cp >= chunkSize) {
            return "corrupt chunk header (metadata or constant pool offset out of range)";
        }
        return null;
    }
}
