package dev.mpdiag.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Test-side view of uploaded JFR bytes, parsed independently of the agent's own ChunkSplitter: the chunks
 * of an upload body and the events in a set of chunks.
 */
final class JfrChunks {

    /** One chunk as the header describes it, and which upload carried it. */
    record Chunk(long seq, long startNanos, long durationNanos, byte[] bytes) {
        long endNanos() {
            return startNanos + durationNanos;
        }
    }

    private JfrChunks() {
    }

    /** Splits an upload body at its chunk headers; fails the test on anything that is not whole chunks. */
    static List<Chunk> split(long seq, byte[] body) {
        List<Chunk> chunks = new ArrayList<>();
        int off = 0;
        while (off < body.length) {
            if (body.length - off < 68) {
                throw new AssertionError("upload " + seq + ": " + (body.length - off) + " bytes left, no chunk header");
            }
            ByteBuffer b = ByteBuffer.wrap(body, off, 68).slice();
            if (b.getInt(0) != 0x464C5200) {
                throw new AssertionError("upload " + seq + ": no FLR magic at offset " + off);
            }
            long size = b.getLong(8);
            if (size < 68 || off + size > body.length) {
                throw new AssertionError("upload " + seq + ": chunk at " + off + " of size " + size
                        + " does not fit the body of " + body.length);
            }
            chunks.add(new Chunk(seq, b.getLong(32), b.getLong(40), Arrays.copyOfRange(body, off, off + (int) size)));
            off += (int) size;
        }
        return chunks;
    }

    static List<Chunk> split(List<Receiver.Upload> uploads) {
        List<Chunk> all = new ArrayList<>();
        for (Receiver.Upload u : uploads) {
            all.addAll(split(u.seq(), u.body()));
        }
        return all;
    }

    /** All events of {@code chunks} (in start order), read with the JDK's RecordingFile from a temp file. */
    static List<RecordedEvent> events(List<Chunk> chunks, Path dir) throws IOException {
        List<Chunk> ordered = new ArrayList<>(chunks);
        ordered.sort(Comparator.comparingLong(Chunk::startNanos));
        Path file = Files.createTempFile(dir, "uploads", ".jfr");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Chunk c : ordered) {
                out.write(c.bytes());
            }
        }
        return RecordingFile.readAllEvents(file);
    }

    /** The {@code n} of every mpagenttest.Marker event, in the order read. */
    static List<Long> markers(List<RecordedEvent> events) {
        List<Long> ns = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(MarkerEvent.NAME)) {
                ns.add(e.getLong("n"));
            }
        }
        return ns;
    }

    /** What a StreamingApp that printed markers=count committed: 0 .. count-1, then LAST. */
    static List<Long> expectedMarkers(long count) {
        List<Long> expected = new ArrayList<>();
        for (long m = 0; m < count; m++) {
            expected.add(m);
        }
        expected.add(MarkerEvent.LAST);
        return expected;
    }

    /** The markers of {@code events}, sorted, to compare with {@link #expectedMarkers}. */
    static List<Long> sortedMarkers(List<RecordedEvent> events) {
        List<Long> got = markers(events);
        got.sort(null);
        return got;
    }

    static long count(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).count();
    }
}
