package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against a real HTTP server: the ingest contract of docs/api.md, acknowledgement, retry, rejection. */
class SenderTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Receiver receiver;
    private Identity identity;
    private Health health;
    private Spool spool;
    private Sender sender;

    @BeforeEach
    void start() throws Exception {
        receiver = Receiver.start();
        AgentOptions options = AgentOptions.parse("collector=" + receiver.url() + ",service=orders,"
                + "label.role=worker,label.index=2,label.a b=c&d,interval=5s,http.timeout=2s", null, w -> { });
        identity = new Identity(options.service, "default", options.labels);
        health = new Health(identity, options.collector);
        spool = new Spool(1 << 20, null, 0, identity, health);
        sender = new Sender(options, identity, spool, health, "9.9.9-test");
        Thread t = new Thread(sender, "mpagent-sender-test");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static Upload upload(long seq, String text) {
        return new Upload(seq, List.of(text.getBytes(), "|tail".getBytes()), false);
    }

    @Test
    void postsTheIngestHeadersOfTheApiDoc() throws Exception {
        spool.add(upload(1, "chunk-bytes"));
        assertTrue(receiver.await(u -> u.size() == 1, WAIT));
        Receiver.Upload u = receiver.uploads().get(0);
        assertArrayEquals("chunk-bytes|tail".getBytes(), u.body());
        assertEquals("application/octet-stream", u.header("Content-Type"));
        assertEquals("orders", u.header("X-Mpdiag-Service"));
        assertEquals(identity.host(), u.header("X-Mpdiag-Host"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), u.header("X-Mpdiag-Pid"));
        assertEquals(Long.toString(ManagementFactory.getRuntimeMXBean().getStartTime()), u.header("X-Mpdiag-Start"));
        assertEquals("1", u.header("X-Mpdiag-Seq"));
        assertEquals("role=worker&index=2&a+b=c%26d", u.header("X-Mpdiag-Labels"));
        assertEquals("shipped=0&uploads=0&retries=0&drops=0&droppedBytes=0&rejected=0&spoolBytes=16&lastError=",
                u.header("X-Mpdiag-Health"));
        assertEquals("5000", u.header("X-Mpdiag-Interval"));
        assertEquals("default", u.header("X-Mpdiag-Profile"));
        assertEquals("9.9.9-test", u.header("X-Mpdiag-Agent"));
        assertNull(u.header("X-Mpdiag-Final"));
        assertTrue(waitFor(() -> health.getUploads() == 1));
        assertEquals(16, health.getShipped());
        assertEquals(0, health.getSpoolBytes());
        assertEquals("", health.getLastError());
    }

    @Test
    void serverErrorsAreRetriedInOrderAndRejectionsAreNot() throws Exception {
        receiver.mode(Receiver.Mode.FAIL);
        spool.add(upload(1, "one"));
        spool.add(upload(2, "two"));
        assertTrue(waitFor(() -> receiver.attempts() >= 2), "retried after a 500");
        receiver.mode(Receiver.Mode.OK);
        assertTrue(receiver.await(u -> u.size() == 2, WAIT));
        assertEquals(List.of(1L, 2L), receiver.uploads().stream().map(Receiver.Upload::seq).toList(), "order kept");
        assertTrue(health.getRetries() >= 2, "retries " + health.getRetries());
        assertTrue(health.getLastError().contains("seq 1: HTTP 500"), health.getLastError());
        assertTrue(receiver.uploads().get(0).header("X-Mpdiag-Health").contains("retries="));

        receiver.mode(Receiver.Mode.REJECT);
        spool.add(upload(3, "three"));
        assertTrue(waitFor(() -> health.getRejected() == 1));
        int attempts = receiver.attempts();
        receiver.mode(Receiver.Mode.OK);
        spool.add(upload(4, "four"));
        assertTrue(receiver.await(u -> u.size() == 3, WAIT));
        assertEquals(attempts + 1, receiver.attempts(), "a 4xx is not retried");
        assertEquals(4, receiver.uploads().get(2).seq());
        assertTrue(health.getLastError().contains("seq 3 rejected: HTTP 400"), health.getLastError());
        assertTrue(receiver.uploads().get(2).header("X-Mpdiag-Health").contains("rejected=1"));
    }

    @Test
    void aBusyCollectorsUploadIsRetriedAfterItsRetryAfterNotDropped() throws Exception {
        receiver.mode(Receiver.Mode.BUSY);
        spool.add(upload(1, "one"));
        assertTrue(waitFor(() -> receiver.attempts() >= 2), "retried after a 429");
        receiver.mode(Receiver.Mode.OK);
        assertTrue(receiver.await(u -> u.size() == 1, WAIT));
        assertEquals(0, health.getRejected(), "a 429 is not a rejection");
        List<Long> at = receiver.attemptMillis();
        // Retry-After: 2 is longer than the backoff's first delay (0.25-0.75 s), so it sets the wait.
        long gap = at.get(1) - at.get(0);
        assertTrue(gap >= 1_900, "waited " + gap + " ms after Retry-After: 2");
        assertTrue(health.getLastError().contains("seq 1: HTTP 429"), health.getLastError());
    }

    @Test
    void retryAfterIsReadInSecondsAndOtherFormsAreLeftToTheBackoff() {
        assertEquals(2_000, Sender.retryAfterMillis("2"));
        assertEquals(3_600_000, Sender.retryAfterMillis("86400"));
        assertEquals(0, Sender.retryAfterMillis("Wed, 21 Oct 2026 07:28:00 GMT"));
        assertEquals(0, Sender.retryAfterMillis(null));
        assertEquals(0, Sender.retryAfterMillis("-5"));
    }

    @Test
    void drainMarksTheLastUploadFinal() throws Exception {
        sender.hold();
        spool.add(upload(1, "one"));
        spool.add(upload(2, "two"));
        Thread.sleep(200);
        assertEquals(0, receiver.attempts(), "held at exit until the last cut is known");
        assertTrue(sender.drain(System.nanoTime() + WAIT.toNanos()));
        List<Receiver.Upload> got = receiver.uploads();
        assertEquals(2, got.size());
        assertFalse(got.get(0).isFinal());
        assertTrue(got.get(1).isFinal());
    }

    @Test
    void drainGivesUpAtTheDeadlineWhenTheCollectorHangs() throws Exception {
        receiver.mode(Receiver.Mode.HANG);
        spool.add(upload(1, "one"));
        long start = System.nanoTime();
        assertFalse(sender.drain(start + 500_000_000L));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 2_000, "drain took " + tookMillis + " ms");
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
