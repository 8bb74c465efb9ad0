package dev.mpdiag.jfr;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads recordings passed around compressed: gzip (.jfr.gz, one member or several concatenated) and zip
 * holding one recording (itself plain or gzipped). A file is unpacked to a temporary file, which is then
 * mapped like any other, so memory stays bounded however big the recording is; bytes held in memory (an
 * upload) are unpacked in memory up to a limit the caller gives.
 */
public final class Unpacker {
    /** How the bytes are packed, told by their first bytes. */
    public enum Packing {
        NONE, GZIP, ZIP;

        public static Packing of(byte[] head, int n) {
            if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
                return GZIP;
            }
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return ZIP;
            }
            return NONE;
        }

        String label() {
            return this == GZIP ? "gzip" : "zip";
        }
    }

    /** A file unpacked to a temporary file (delete it when done), and a warning when its stream ended early. */
    public record UnpackedFile(Path file, Packing packing, String warning) {
    }

    /** Bytes unpacked in memory, and a warning when their stream ended early. */
    public record UnpackedBytes(ByteBuffer bytes, Packing packing, String warning) {
    }

    /** Unpacking would pass the caller's memory limit. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    private static final int COPY_BUFFER = 1 << 16;

    private Unpacker() {
    }

    /** The packing of a file, from its first four bytes. */
    public static Packing packingOf(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return Packing.of(head, n);
    }

    /** The packing of bytes in memory. */
    public static Packing packingOf(ByteBuffer bytes) {
        byte[] head = new byte[4];
        int n = Math.min(head.length, bytes.remaining());
        bytes.duplicate().get(head, 0, n);
        return Packing.of(head, n);
    }

    /**
     * Unpacks a gzip or zip file into a new temporary file under {@code tmpDir}. {@code progress} is told how
     * many of the file's compressed bytes have been read. A stream that ends early keeps what came out of it,
     * with a warning, so the intact chunks of a cut-off .jfr.gz are still analyzed.
     */
    public static UnpackedFile unpack(Path file, Packing packing, Path tmpDir, LongConsumer progress)
            throws IOException {
        Path out = Files.createTempFile(tmpDir, "mpdiag-unpacked-", ".jfr");
        out.toFile().deleteOnExit();
        boolean ok = false;
        try {
            String warning;
            try (OutputStream o = Files.newOutputStream(out)) {
                if (packing == Packing.GZIP) {
                    try (InputStream in = new Counting(Files.newInputStream(file), progress)) {
                        warning = copyGzip(in, o);
                    }
                } else {
                    warning = copyZipEntry(file, o, progress);
                }
            }
            if (Files.size(out) == 0) {
                throw new JfrFormatException(packing.label() + "-compressed, but it holds nothing"
                        + (warning == null ? "" : " (" + warning + ")"));
            }
            ok = true;
            return new UnpackedFile(out, packing, warning);
        } finally {
            if (!ok) {
                Files.deleteIfExists(out);
            }
        }
    }

    /** Unpacks gzip or zip bytes in memory; more than {@code maxBytes} out is refused, not buffered. */
    public static UnpackedBytes unpack(ByteBuffer bytes, Packing packing, long maxBytes) throws IOException {
        InputStream raw = new ByteBufferInput(bytes.duplicate());
        LimitedOutput out = new LimitedOutput(maxBytes);
        String warning;
        try {
            warning = packing == Packing.GZIP ? copyGzip(raw, out) : copyOnlyEntry(new ZipInputStream(raw), out);
        } catch (LimitPassed e) {
            throw new TooLargeException(e.getMessage());
        }
        if (out.size() == 0) {
            throw new JfrFormatException(packing.label() + "-compressed, but it holds nothing");
        }
        return new UnpackedBytes(ByteBuffer.wrap(out.bytes(), 0, out.size()).slice(), packing, warning);
    }

    private static String copyOnlyEntry(ZipInputStream zip, OutputStream out) throws IOException {
        try (zip) {
            if (nextFile(zip) == null) {
                throw new JfrFormatException("zip holds no file");
            }
            String warning = copyMaybeGzip(zip, out);
            if (nextFile(zip) != null) {
                throw new JfrFormatException("zip holds more than one file; give one recording per zip");
            }
            return warning;
        } catch (ZipException e) {
            throw new JfrFormatException("zip: corrupt (" + e.getMessage() + ")");
        }
    }

    // Copies a gzip stream out; returns a warning when it ends early, and refuses a stream that is not gzip.
    private static String copyGzip(InputStream in, OutputStream out) throws IOException {
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(in, COPY_BUFFER);
        } catch (ZipException | EOFException e) {
            throw new JfrFormatException("gzip: corrupt header (" + e.getMessage() + ")");
        }
        return copy(gz, out, "gzip");
    }

    // A zip entry may itself be a gzipped recording (zipped .jfr.gz files): unwrap it as well.
    private static String copyMaybeGzip(InputStream in, OutputStream out) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        byte[] head = new byte[2];
        int n = p.readNBytes(head, 0, 2);
        p.unread(head, 0, n);
        return Packing.of(head, n) == Packing.GZIP ? copyGzip(p, out) : copy(p, out, "zip");
    }

    private static String copy(InputStream in, OutputStream out, String what) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return null;
        } catch (EOFException e) {
            return what + " stream ends early (" + e.getMessage() + "); analyzed what came out before that";
        } catch (ZipException e) {
            return what + " stream is corrupt (" + e.getMessage() + "); analyzed what came out before that";
        }
    }

    private static String copyZipEntry(Path file, OutputStream out, LongConsumer progress) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry only = null;
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                if (only != null) {
                    throw new JfrFormatException("zip holds " + countFiles(zip)
                            + " files; give one recording per zip (or unzip it and name the files)");
                }
                only = e;
            }
            if (only == null) {
                throw new JfrFormatException("zip holds no file");
            }
            try (InputStream in = new Counting(zip.getInputStream(only), progress)) {
                return copyMaybeGzip(in, out);
            }
        } catch (ZipException e) {
            throw new JfrFormatException("zip: corrupt (" + e.getMessage() + ")");
        }
    }

    private static long countFiles(ZipFile zip) {
        return zip.stream().filter(e -> !e.isDirectory()).count();
    }

    private static ZipEntry nextFile(ZipInputStream zip) throws IOException {
        ZipEntry e;
        while ((e = zip.getNextEntry()) != null && e.isDirectory()) {
            // directories hold nothing to read
        }
        return e;
    }

    /** Reports the bytes read through it, for a progress bar over the compressed size. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer progress;
        private long read;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
                progress.accept(read);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                progress.accept(++read);
            }
            return c;
        }
    }

    private static final class ByteBufferInput extends InputStream {
        private final ByteBuffer b;

        ByteBufferInput(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(dst, off, n);
            return n;
        }
    }

    /** An in-memory output that refuses to grow past its limit (a zip bomb stops here). */
    private static final class LimitedOutput extends ByteArrayOutputStream {
        private final long max;

        LimitedOutput(long max) {
            super(1 << 16);
            this.max = max;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + (long) len > max) {
                throw new LimitPassed(max);
            }
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1L > max) {
                throw new LimitPassed(max);
            }
            super.write(b);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private static final class LimitPassed extends RuntimeException {
        LimitPassed(long max) {
            super("unpacked, the recording is over the limit of " + max + " bytes");
        }
    }
}
