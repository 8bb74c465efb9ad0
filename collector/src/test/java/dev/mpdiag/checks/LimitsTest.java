package dev.mpdiag.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.engine.LockStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Threshold overrides: parsing, layering, refusing unknown keys; and the registry the docs describe. */
class LimitsTest {
    final Check heap = Checks.byId("heap-trend");

    @Test
    void defaultsComeFromTheChecks() {
        assertEquals(0.25, Limits.defaults().get(heap, "warnSharePerHour"));
    }

    @Test
    void overridesParseAndLayer() {
        Limits config = Limits.of(Map.of("heap-trend.warnSharePerHour", " 0.5 ", "lock-hotspot.failBlockedThreads", "2"));
        assertEquals(0.5, config.get(heap, "warnSharePerHour"));
        Limits request = config.with(Map.of("heap-trend.warnSharePerHour", "0.1"));
        assertEquals(0.1, request.get(heap, "warnSharePerHour"), "a request's value wins over the config file's");
        assertEquals(2.0, request.get(Checks.byId("lock-hotspot"), "failBlockedThreads"), "the rest of the config stays");
        assertEquals(0.5, config.get(heap, "warnSharePerHour"), "with() leaves the original alone");
    }

    @Test
    void unknownKeysAndBadNumbersAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Limits.of(Map.of("heap-trend.warnSharePerHuor", "1")));
        assertTrue(e.getMessage().contains("heap-trend.warnSharePerHuor"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Limits.of(Map.of("no-such-check.warn", "1")));
        assertThrows(IllegalArgumentException.class, () -> Limits.of(Map.of("warn", "1")));
        e = assertThrows(IllegalArgumentException.class, () -> Limits.of(Map.of("heap-trend.minFit", "high")));
        assertTrue(e.getMessage().contains("heap-trend.minFit") && e.getMessage().contains("high"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Limits.defaults().get(heap, "nonsense"));
    }

    @Test
    void idsAndKeysAreUniqueAndEveryOneIsDocumented() throws IOException {
        Path doc = Path.of("..", "docs", "checks.md");
        String text = Files.readString(doc);
        Set<String> ids = new HashSet<>();
        for (Check c : Checks.ALL) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
            assertTrue(text.contains("`" + c.id() + "`"), "docs/checks.md does not describe " + c.id());
            Set<String> keys = new HashSet<>();
            for (Threshold t : c.thresholds()) {
                assertTrue(keys.add(t.key()), c.id() + " has two thresholds " + t.key());
                assertTrue(text.contains("`" + t.key() + "`"), "docs/checks.md does not list " + c.id() + "." + t.key());
                assertEquals(t, Checks.threshold(c.id() + "." + t.key()));
            }
            assertTrue(!c.events().isEmpty(), c.id() + " names no events");
        }
    }

    @Test
    void onlyLocksCountAsContentionNotWaitingForWork() {
        assertTrue(LockHotspotCheck.isContention(new LockStats(LockStats.Kind.MONITOR, "com.acme.Ledger")));
        assertTrue(LockHotspotCheck.isContention(
                new LockStats(LockStats.Kind.PARK, "java.util.concurrent.locks.ReentrantLock$NonfairSync")));
        assertTrue(LockHotspotCheck.isContention(
                new LockStats(LockStats.Kind.PARK, "java.util.concurrent.locks.ReentrantReadWriteLock$FairSync")));
        assertTrue(!LockHotspotCheck.isContention(new LockStats(LockStats.Kind.PARK, "java.util.concurrent.Semaphore$NonfairSync")));
        assertTrue(!LockHotspotCheck.isContention(new LockStats(LockStats.Kind.PARK, "java.util.concurrent.CountDownLatch$Sync")));
        assertTrue(!LockHotspotCheck.isContention(new LockStats(LockStats.Kind.PARK, null)));
        assertTrue(!LockHotspotCheck.isContention(new LockStats(LockStats.Kind.WAIT, "java.lang.Object")));
    }
}
