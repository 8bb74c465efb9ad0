package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheBudgetTest {
    @Test
    void theCacheGetsAtMostAThirdOfTheHeapAndSaysSo() {
        List<String> log = new ArrayList<>();
        assertEquals(256L << 20, CollectorServer.cacheBytes(256L << 20, 6L << 30, log::add));
        assertTrue(log.isEmpty());
        assertEquals((512L << 20) / 3, CollectorServer.cacheBytes(256L << 20, 512L << 20, log::add));
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("--cache 256 MB is over a third of the heap (512 MB)"), log.get(0));
    }
}
