package dev.mpdiag.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Writes that survive a crash: to a temporary file, fsync, then an atomic rename and a directory fsync. */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Replaces file with the buffers' bytes so that after a crash it holds either the old or the new whole. */
    static void write(Path file, List<ByteBuffer> parts, boolean sync) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, parts);
            if (sync) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (sync) {
            syncDirectory(file.getParent());
        }
    }

    /**
     * Writes a file whose name only an index line makes real (an upload's chunks or summary), and fsyncs its
     * bytes; no temporary file and no rename. The caller fsyncs the directory once for all such files it wrote.
     */
    static void writeUnlisted(Path file, List<ByteBuffer> parts) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, parts);
            ch.force(true);
        }
    }

    static void write(Path file, byte[] bytes, boolean sync) throws IOException {
        write(file, List.of(ByteBuffer.wrap(bytes)), sync);
    }

    /** Appends and fsyncs, so an appended index line is on disk before the upload is acknowledged. */
    static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** A new file's name lives in its directory: without this, a crash can lose a file that was fsynced. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories for fsync; their renames are then as durable as they get.
        }
    }

    private static void writeAll(FileChannel ch, List<ByteBuffer> parts) throws IOException {
        for (ByteBuffer p : parts) {
            ByteBuffer b = p.duplicate();
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }
}
