package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission: room for N uploads at once, a short wait, then 429 with Retry-After; closed room is reusable. */
class IngestAdmissionTest {
    @Test
    void pastItsLimitAnUploadIsShedWith429AndRetryAfter() {
        IngestAdmission a = new IngestAdmission(2, 50);
        IngestAdmission.Permit one = a.admit();
        IngestAdmission.Permit two = a.admit();
        ApiException e = assertThrows(ApiException.class, a::admit);
        assertEquals(429, e.status);
        assertEquals("busy", e.error);
        assertEquals(IngestAdmission.RETRY_AFTER_SECONDS, e.retryAfterSeconds);
        assertTrue(e.getMessage().contains("2 uploads at once"), e.getMessage());
        assertEquals(1, a.shed.get());
        one.close();
        a.admit().close();
        two.close();
        assertEquals(1, a.shed.get());
    }

    @Test
    void anUploadWaitsForRoomThatComesFreeWithinTheWait() throws Exception {
        IngestAdmission a = new IngestAdmission(1, 10_000);
        IngestAdmission.Permit held = a.admit();
        CountDownLatch admitted = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try (IngestAdmission.Permit p = a.admit()) {
                admitted.countDown();
            }
        });
        waiter.start();
        assertEquals(1, admitted.getCount(), "no room yet");
        held.close();
        assertTrue(admitted.await(10, TimeUnit.SECONDS), "admitted once the room came free");
        waiter.join();
        assertEquals(0, a.shed.get());
    }

    @Test
    void noRoomOrANegativeWaitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IngestAdmission(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new IngestAdmission(1, -1));
        assertTrue(IngestAdmission.forThisMachine().concurrent() >= 2);
    }
}
