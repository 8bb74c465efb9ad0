package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.server.store.ProcessIdentity;
import dev.mpdiag.server.store.ProcessMeta;
import dev.mpdiag.server.store.ProcessStore;
import dev.mpdiag.server.store.Retention;
import dev.mpdiag.server.store.Store;
import dev.mpdiag.server.store.StoredEntry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by age and by total bytes, on a real store filled by the real ingest path. */
class RetentionTest {
    static List<byte[]> chunks;

    @TempDir
    Path data;

    @BeforeAll
    static void record() throws Exception {
        chunks = CollectorApiTest.chunksOf(dev.mpdiag.testing.Recordings.jdk17MultiChunk());
    }

    private final List<Store> opened = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void close() {
        opened.forEach(Store::close); // its summary writer is done before the folder is deleted
    }

    Store open() throws Exception {
        Store store = Store.open(data, 1 << 26, w -> { });
        opened.add(store);
        return store;
    }

    Store fill(int processes) throws Exception {
        Store store = open();
        Ingestor in = new Ingestor(store);
        for (int p = 0; p < processes; p++) {
            for (int i = 0; i < 4; i++) {
                in.ingest(new ProcessIdentity("svc", "h", 100 + p, 1000), i + 1, ByteBuffer.wrap(chunks.get(i)), false,
                        m -> { }, m -> { });
            }
        }
        return store;
    }

    @Test
    void theOldestUploadsGoFirstUntilTheTotalFits() throws Exception {
        Store store = fill(2);
        long total = store.totalBytes();
        long limit = total / 2;
        Retention.Pass pass = new Retention(store, Long.MAX_VALUE / 4, limit).run(System.currentTimeMillis(), w -> { });
        assertTrue(pass.uploads() > 0);
        assertTrue(store.totalBytes() <= limit, store.totalBytes() + " > " + limit);
        for (ProcessStore p : store.all()) {
            List<StoredEntry> left = p.entries();
            assertTrue(left.isEmpty() || left.get(left.size() - 1).seq() == 4, "the newest upload stays: " + left);
            for (StoredEntry e : left) {
                assertTrue(Files.exists(p.chunkFile(e.seq())));
            }
        }
        long before = store.totalBytes();
        Store reopened = open();
        assertEquals(before, reopened.totalBytes(), "the deletions are what a restart sees");
    }

    @Test
    void dataPastTheAgeGoesAndAProcessWithNothingLeftIsForgotten() throws Exception {
        Store store = fill(1);
        ProcessStore p = store.all().get(0);
        p.meta().lastSeenMillis = 1;
        // The recording is from the past; an age limit of one millisecond removes all of it.
        Retention.Pass pass = new Retention(store, 1, Long.MAX_VALUE).run(System.currentTimeMillis(), w -> { });
        assertEquals(4, pass.uploads());
        assertEquals(1, pass.processes());
        assertNull(store.get(p.id()));
        try (var dirs = Files.list(data.resolve("processes"))) {
            assertEquals(0, dirs.count());
        }
    }

    @Test
    void aLiveProcessKeepsItsFolderEvenWhenItsDataIsGone() throws Exception {
        Store store = fill(1);
        ProcessStore p = store.all().get(0);
        p.meta().lastSeenMillis = System.currentTimeMillis();
        new Retention(store, 1, Long.MAX_VALUE).run(System.currentTimeMillis(), w -> { });
        assertEquals(p, store.get(p.id()));
        assertEquals(ProcessMeta.AGENT, p.meta().kind);
    }
}
