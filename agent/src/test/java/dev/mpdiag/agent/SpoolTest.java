package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool stays within its memory and disk bounds, drops the oldest first and counts what it dropped. */
class SpoolTest {

    @TempDir
    Path tmp;

    private final Identity identity = new Identity("svc", "default", Map.of());
    private final Health health = new Health(identity, "http://x");

    private static Upload upload(long seq, int bytes) {
        byte[] b = new byte[bytes];
        b[0] = (byte) seq;
        return new Upload(seq, List.of(b), false);
    }

    private List<Long> drain(Spool spool) throws Exception {
        List<Long> seqs = new ArrayList<>();
        Upload u;
        while ((u = spool.take(0)) != null) {
            seqs.add(u.seq);
            spool.done(u);
        }
        return seqs;
    }

    @Test
    void fullMemoryDropsTheOldestAndCountsIt() throws Exception {
        Spool spool = new Spool(1000, null, 0, identity, health);
        spool.add(upload(1, 400));
        spool.add(upload(2, 400));
        assertEquals(800, health.getSpoolBytes());
        spool.add(upload(3, 400));
        assertEquals(1, health.getDrops());
        assertEquals(400, health.getDroppedBytes());
        assertEquals(800, health.getSpoolBytes());
        assertEquals(List.of(2L, 3L), drain(spool));
        assertEquals(0, health.getSpoolBytes());
        assertTrue(spool.isEmpty());
    }

    @Test
    void theUploadBeingSentIsNeverDroppedUnderTheSender() throws Exception {
        Spool spool = new Spool(1000, null, 0, identity, health);
        spool.add(upload(1, 400));
        spool.add(upload(2, 400));
        Upload sending = spool.take(0);
        assertEquals(1, sending.seq);
        assertNull(spool.take(0), "one in flight at a time");
        spool.add(upload(3, 900)); // drops 2; still no room beside 1, so 3 goes too
        assertEquals(2, health.getDrops());
        assertEquals(1300, health.getDroppedBytes());
        spool.retryLater(sending);
        assertSame(sending, spool.take(0), "a failed upload stays at the head");
        assertTrue(spool.isLast(sending));
        spool.done(sending);
        assertTrue(spool.isEmpty());
    }

    @Test
    void anUploadLargerThanTheSpoolIsDroppedWithoutEvictingOthers() throws Exception {
        Spool spool = new Spool(1000, null, 0, identity, health);
        spool.add(upload(1, 400));
        spool.add(upload(2, 1001));
        assertEquals(1, health.getDrops());
        assertEquals(1001, health.getDroppedBytes());
        assertEquals(List.of(1L), drain(spool));
    }

    @Test
    void diskTakesWhatMemoryCannotInOrderAndIsCleanedUp() throws Exception {
        Spool spool = new Spool(500, tmp, 1000, identity, health);
        Upload u1 = upload(1, 400);
        Upload u2 = upload(2, 400);
        spool.add(u1);
        spool.add(u2);
        spool.add(upload(3, 400));
        assertFalse(u1.onDisk());
        assertTrue(u2.onDisk());
        Path dir = tmp.resolve(identity.pid + "-" + identity.startMillis());
        assertTrue(Files.isRegularFile(dir.resolve("2.jfr")), "files named by seq");
        assertTrue(Files.isRegularFile(dir.resolve("3.jfr")));
        assertEquals(0, health.getDrops());
        assertEquals(1200, health.getSpoolBytes());

        spool.add(upload(4, 400)); // memory and disk full: the oldest (1, in memory) goes
        assertEquals(1, health.getDrops());
        Upload head = spool.take(0);
        assertEquals(2, head.seq);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        head.writeTo(body);
        byte[] expected = new byte[400];
        expected[0] = 2;
        assertArrayEquals(expected, body.toByteArray(), "the disk copy is the upload's bytes");
        spool.done(head);
        assertFalse(Files.exists(dir.resolve("2.jfr")), "sent uploads leave the disk");

        spool.discardAll();
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing left behind at exit");
        }
    }

    @Test
    void awaitEmptyReturnsWhenTheLastUploadIsDone() throws Exception {
        Spool spool = new Spool(1000, null, 0, identity, health);
        assertTrue(spool.awaitEmpty(System.nanoTime()));
        spool.add(upload(1, 10));
        assertFalse(spool.awaitEmpty(System.nanoTime() + 50_000_000L));
        Thread sender = new Thread(() -> {
            try {
                Upload u = spool.take(1000);
                Thread.sleep(50);
                spool.done(u);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertTrue(spool.awaitEmpty(System.nanoTime() + 5_000_000_000L));
        sender.join();
    }
}
