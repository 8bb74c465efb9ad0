package dev.mpdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Recordings;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gives one line naming the file and the reason, exit code 2, and no stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static void assertRejected(Cli.Run r, Path file, String reason) {
        assertEquals(Main.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        String err = r.err().trim();
        assertEquals(1, err.lines().count(), "one line expected: " + err);
        assertTrue(err.contains(file.toString()), err);
        assertTrue(err.contains(reason), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("nope.jfr");
        assertRejected(Cli.run("analyze", f.toString()), f, "no such file");
    }

    @Test
    void directory() {
        assertRejected(Cli.run("analyze", tmp.toString()), tmp, "is a directory");
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.createFile(tmp.resolve("empty.jfr"));
        assertRejected(Cli.run("analyze", f.toString()), f, "empty file");
    }

    @Test
    void notJfr() throws Exception {
        Path f = Files.writeString(tmp.resolve("notes.jfr"), "this is a text file, not a flight recording\n".repeat(10));
        assertRejected(Cli.run("flame", f.toString()), f, "not a JFR file");
    }

    @Test
    void unknownFormatVersion() throws Exception {
        byte[] b = Files.readAllBytes(Recordings.jdk17());
        b[4] = 0; // version 1.0 (JDK 8's format)
        b[5] = 1;
        b[6] = 0;
        b[7] = 0;
        Path f = Files.write(tmp.resolve("old.jfr"), b);
        assertRejected(Cli.run("analyze", f.toString()), f, "unsupported JFR format version 1.0");
    }

    @Test
    void truncatedInFirstChunkIsRejected() throws Exception {
        byte[] b = Files.readAllBytes(Recordings.jdk17());
        Path f = Files.write(tmp.resolve("cut.jfr"), Arrays.copyOf(b, b.length / 2));
        assertRejected(Cli.run("analyze", "--jmc=off", f.toString()), f, "truncated chunk");
    }

    @Test
    void truncatedLaterChunkStillReportsIntactChunks() throws Exception {
        Path full = Recordings.jdk17MultiChunk();
        ChunkSplitter.Split split = ChunkSplitter.split(full);
        assertTrue(split.chunks().size() >= 3, "need a multi-chunk recording, got " + split.chunks().size());
        long keep = 0;
        for (ByteBuffer c : split.chunks().subList(0, 2)) {
            keep += c.limit();
        }
        byte[] b = Files.readAllBytes(full);
        Path f = Files.write(tmp.resolve("tail-cut.jfr"), Arrays.copyOf(b, (int) keep + 1000));
        Cli.Run r = Cli.run("analyze", "--jmc=off", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("skipped 1000 bytes") && r.err().contains("2 intact chunks"),
                r.err());
        assertTrue(r.out().contains("Workload$HotLoop.spin"), r.out());
    }

    @Test
    void gzipThatHoldsNoJfr() throws Exception {
        Path f = tmp.resolve("notes.jfr.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("plain text, gzipped\n".repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        assertRejected(Cli.run("analyze", f.toString()), f, "gzip-compressed, but what it holds is not a JFR file");
    }

    @Test
    void corruptGzipHeader() throws Exception {
        byte[] b = new byte[200];
        b[0] = 0x1F;
        b[1] = (byte) 0x8B;
        b[2] = 99; // no such compression method
        Path f = Files.write(tmp.resolve("bad.jfr.gz"), b);
        assertRejected(Cli.run("flame", f.toString()), f, "gzip: corrupt header");
    }

    @Test
    void zipOfSeveralFilesNamesTheCount() throws Exception {
        Path f = tmp.resolve("two.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            for (String n : List.of("a.jfr", "b.jfr")) {
                z.putNextEntry(new ZipEntry(n));
                Files.copy(Recordings.jdk17(), z);
                z.closeEntry();
            }
        }
        assertRejected(Cli.run("analyze", f.toString()), f, "zip holds 2 files; give one recording per zip");
    }

    @Test
    void cutOffGzipStillReportsItsIntactChunks() throws Exception {
        Path full = Recordings.jdk17MultiChunk();
        Path gz = tmp.resolve("whole.jfr.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(full, o);
        }
        byte[] b = Files.readAllBytes(gz);
        Path f = Files.write(tmp.resolve("cut.jfr.gz"), Arrays.copyOf(b, b.length * 2 / 3));
        Cli.Run r = Cli.run("analyze", "--jmc=off", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("gzip stream ends early") && r.err().contains("intact chunk"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.out().contains("Workload$HotLoop.spin"), r.out());
    }

    @Test
    void unknownFailOnRuleIsAUsageError() throws Exception {
        Cli.Run r = Cli.run("analyze", "--fail-on", "NoSuchRule", Recordings.jdk17().toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("'NoSuchRule' is neither a severity") && r.err().contains("JavaBlocking"), r.err());
    }

    @Test
    void badOptionIsAUsageError() throws Exception {
        Cli.Run r = Cli.run("flame", "--type", "bogus", Recordings.jdk17().toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("unknown profile type 'bogus'"), r.err());
    }
}
