package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits a real multi-chunk JFR stream (made in this JVM) and skips chunks already taken. */
class ChunkSplitterTest {

    static final int CHUNKS_AT_LEAST = 4;
    static byte[] stream;
    static List<JfrChunks.Chunk> expected;

    @TempDir
    Path tmp;

    @BeforeAll
    static void record() throws Exception {
        try (Recording r = new Recording()) {
            r.enable(MarkerEvent.class);
            r.start();
            for (int i = 0; i < CHUNKS_AT_LEAST; i++) {
                MarkerEvent.commit(i);
                r.copy(true).close(); // stopping a copy closes the chunk being written: one more chunk
            }
            r.stop();
            try (InputStream in = r.getStream(null, null)) {
                stream = in.readAllBytes();
            }
        }
        expected = JfrChunks.split(0, stream);
        assertTrue(expected.size() >= CHUNKS_AT_LEAST, expected.size() + " chunks");
    }

    @Test
    void splitsAtChunkBoundariesIntoSelfContainedChunks() throws Exception {
        ChunkSplitter.Result r = ChunkSplitter.read(new ByteArrayInputStream(stream), Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(expected.size(), r.chunks.size());
        assertEquals(expected.size(), r.newChunks);
        assertEquals(0, r.duplicates);
        assertEquals(stream.length, r.newBytes);
        List<Long> markers = new ArrayList<>();
        for (int i = 0; i < r.chunks.size(); i++) {
            assertArrayEquals(expected.get(i).bytes(), r.chunks.get(i), "chunk " + i);
            Path one = Files.write(tmp.resolve("chunk" + i + ".jfr"), r.chunks.get(i));
            markers.addAll(JfrChunks.markers(RecordingFile.readAllEvents(one))); // each chunk parses alone
        }
        markers.sort(null);
        assertEquals(List.of(0L, 1L, 2L, 3L), markers);
        JfrChunks.Chunk last = expected.get(expected.size() - 1);
        assertEquals(last.startNanos(), r.newestStartNanos);
        assertEquals(last.endNanos(), r.newestEndNanos);
    }

    @Test
    void skipsChunksNotStartingAfterTheNewestTaken() throws Exception {
        long taken = expected.get(1).startNanos();
        ChunkSplitter.Result r = ChunkSplitter.read(new ByteArrayInputStream(stream), taken, Long.MAX_VALUE);
        assertEquals(2, r.duplicates);
        assertEquals(expected.size() - 2, r.chunks.size());
        assertArrayEquals(expected.get(2).bytes(), r.chunks.get(0));

        ChunkSplitter.Result none = ChunkSplitter.read(new ByteArrayInputStream(stream),
                expected.get(expected.size() - 1).startNanos(), Long.MAX_VALUE);
        assertEquals(0, none.newChunks);
        assertEquals(expected.get(expected.size() - 1).startNanos(), none.newestStartNanos);
        assertEquals(Long.MIN_VALUE, none.newestEndNanos);
    }

    @Test
    void aCutOverTheBudgetKeepsNothingButIsCounted() throws Exception {
        ChunkSplitter.Result r = ChunkSplitter.read(new ByteArrayInputStream(stream), Long.MIN_VALUE, stream.length - 1);
        assertTrue(r.overBudget);
        assertEquals(List.of(), r.chunks);
        assertEquals(stream.length, r.newBytes);
        assertEquals(expected.size(), r.newChunks);
        assertEquals(expected.get(expected.size() - 1).startNanos(), r.newestStartNanos, "still marked taken");
    }

    @Test
    void truncatedOrForeignBytesAreErrors() {
        byte[] truncated = Arrays.copyOf(stream, stream.length - 10);
        assertThrows(EOFException.class, () -> ChunkSplitter.read(new ByteArrayInputStream(truncated), 0, Long.MAX_VALUE));
        byte[] halfHeader = Arrays.copyOf(stream, 30);
        assertThrows(EOFException.class, () -> ChunkSplitter.read(new ByteArrayInputStream(halfHeader), 0, Long.MAX_VALUE));
        byte[] foreign = stream.clone();
        foreign[0] = 'X';
        IOException e = assertThrows(IOException.class,
                () -> ChunkSplitter.read(new ByteArrayInputStream(foreign), 0, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }
}
