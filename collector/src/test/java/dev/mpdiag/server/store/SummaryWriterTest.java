package dev.mpdiag.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.Summary;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.server.Ingestor;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryWriterTest {
    @TempDir
    Path data;

    @Test
    void pastTheQueueTheUploaderWritesItsOwnAndEverySummaryIsServedBeforeAndAfterItIsWritten() throws Exception {
        int n = SummaryWriter.MAX_QUEUED * 2;
        List<Summary> made = new ArrayList<>();
        try (Store store = Store.open(data, 1 << 26, w -> { })) {
            ProcessStore p = store.getOrCreate(new ProcessIdentity("svc", "h", 1, 1000), m -> { });
            // The writer writes under the process's lock: holding it stalls the writer, so its queue fills.
            synchronized (p) {
                for (int seq = 1; seq <= n; seq++) {
                    Summary s = new Summary();
                    made.add(s);
                    p.store(seq, List.of(), new long[0], 0, s, false, System.currentTimeMillis());
                    store.stored(p, seq, s);
                }
                int pending = store.cache.pending();
                assertTrue(pending >= SummaryWriter.MAX_QUEUED && pending <= SummaryWriter.MAX_QUEUED + 1,
                        "the queue, and the one the writer holds, wait: " + pending);
                assertTrue(Files.exists(p.summaryFile(n)), "past the queue the uploading thread wrote it");
                assertFalse(Files.exists(p.summaryFile(1)), "the writer is stalled");
                for (StoredEntry e : p.entries()) {
                    assertSame(made.get((int) e.seq() - 1), store.cache.get(p, e), "served from memory, written or not");
                }
            }
            store.close();
            assertEquals(0, store.cache.pending());
            for (int seq = 1; seq <= n; seq++) {
                assertTrue(Files.size(p.summaryFile(seq)) > 0, "written by close: #" + seq);
            }
        }
    }

    @Test
    void summariesNeverWrittenBeforeACrashAreMadeAgainFromTheChunks() throws Exception {
        List<ByteBuffer> chunks = ChunkSplitter.split(dev.mpdiag.testing.Recordings.jdk17MultiChunk()).chunks();
        List<Map<String, Long>> counts = new ArrayList<>();
        ProcessIdentity id = new ProcessIdentity("svc", "h", 2, 1000);
        try (Store store = Store.open(data, 1 << 26, w -> { })) {
            Ingestor in = new Ingestor(store);
            for (int i = 0; i < chunks.size(); i++) {
                in.ingest(id, i + 1, chunks.get(i).duplicate(), false, m -> { }, m -> { });
            }
            ProcessStore p = store.get(id.id());
            for (StoredEntry e : p.entries()) {
                counts.add(store.cache.get(p, e).eventCounts());
            }
        }
        // As after a kill -9 between an upload's acknowledgement and its summary's write.
        try (var files = Files.list(data.resolve("processes").resolve(id.dirName()))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".sum")) {
                    Files.delete(f);
                }
            }
        }
        try (Store reopened = Store.open(data, 1 << 26, w -> { })) {
            ProcessStore p = reopened.get(id.id());
            List<StoredEntry> entries = p.entries();
            assertEquals(chunks.size(), entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertEquals(counts.get(i), reopened.cache.get(p, entries.get(i)).eventCounts());
                assertTrue(Files.exists(p.summaryFile(entries.get(i).seq())), "and saved again");
            }
        }
    }
}
