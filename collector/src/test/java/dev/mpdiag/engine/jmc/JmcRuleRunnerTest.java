package dev.mpdiag.engine.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs JMC's rules on a real recording of explicit GCs and a contended monitor. */
class JmcRuleRunnerTest {

    // JMC placeholder ids are word characters and dots, e.g. {totalBlockedTime} or {thread.exclude.regexp}.
    private static final Pattern UNFILLED_PLACEHOLDER = Pattern.compile("\\{[\\w.]+\\}");
    private static final Duration WORKLOAD = Duration.ofMillis(3500);
    private static final Set<String> REPORTED = Set.of("INFO", "WARNING");

    @TempDir
    static Path dir;
    static Path recording;
    static List<JmcFinding> fromFile;

    @BeforeAll
    static void recordWorkload() throws Exception {
        recording = dir.resolve("workload.jfr");
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            r.start();
            runWorkload();
            r.stop();
            r.dump(recording);
        }
        fromFile = new JmcRuleRunner().run(recording);
    }

    /** Explicit System.gc() calls on one thread while four threads fight over a monitor held across a sleep. */
    private static void runWorkload() throws InterruptedException {
        Object lock = new Object();
        long end = System.nanoTime() + WORKLOAD.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    synchronized (lock) {
                        sleep(20);
                    }
                }
            }, "contender-" + i);
            threads.add(t);
            t.start();
        }
        Thread gc = new Thread(() -> {
            while (System.nanoTime() < end) {
                System.gc();
                sleep(20);
            }
        }, "explicit-gc");
        threads.add(gc);
        gc.start();
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyRuleGivesOneCompleteFinding() {
        assertEquals(RuleRegistry.getRules().size(), fromFile.size());
        for (JmcFinding f : fromFile) {
            assertFalse(f.id().isBlank(), f::toString);
            assertFalse(f.severity().isBlank(), f::toString);
            assertFalse(f.summary().startsWith("Rule failed"), f::toString);
            for (String text : List.of(f.summary(), f.explanation(), f.solution())) {
                assertFalse(UNFILLED_PLACEHOLDER.matcher(text).find(), () -> "unfilled placeholder in " + f);
                assertFalse(text.contains("<p>") || text.contains("<li>") || text.contains("<a "),
                        () -> "HTML left in " + f);
            }
        }
    }

    @Test
    void explicitGcIsReported() {
        // SystemGc depends on GarbageCollectionInfoRule's results, so this also checks dependencies are honoured.
        JmcFinding systemGc = byId(fromFile).get("SystemGc");
        assertTrue(REPORTED.contains(systemGc.severity()), systemGc::toString);
        assertTrue(systemGc.summary().contains("System.gc()"), systemGc::toString);
    }

    @Test
    void contendedMonitorIsReported() {
        JmcFinding blocking = byId(fromFile).get("JavaBlocking");
        assertTrue(REPORTED.contains(blocking.severity()), blocking::toString);
    }

    @Test
    void sortedBySeverityThenScore() {
        List<String> order = List.of("WARNING", "INFO", "OK", "NA", "IGNORE");
        for (int i = 1; i < fromFile.size(); i++) {
            JmcFinding a = fromFile.get(i - 1);
            JmcFinding b = fromFile.get(i);
            int byRank = Integer.compare(order.indexOf(a.severity()), order.indexOf(b.severity()));
            assertTrue(byRank < 0 || byRank == 0 && a.score() >= b.score(), () -> a + " before " + b);
        }
    }

    @Test
    void chunkBytesGiveTheSameResultsAsTheFile() throws IOException {
        List<JmcFinding> fromBytes = new JmcRuleRunner().run(List.of(Files.readAllBytes(recording)));
        assertEquals(idsAndSeverities(fromFile), idsAndSeverities(fromBytes));
    }

    @Test
    void garbageIsRejectedWithAMessage() {
        byte[] garbage = "this is not a flight recording at all".repeat(100).getBytes();
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> new JmcRuleRunner().run(List.of(garbage))));
        assertTrue(e.getMessage() != null && e.getMessage().contains("not a readable JFR recording"), e::toString);
    }

    @Test
    void aRunOverItsTimeBudgetStillReportsEveryRule() throws Exception {
        IItemCollection items = JfrLoaderToolkit.loadEvents(recording.toFile());
        List<JmcFinding> findings = new JmcRuleRunner(Duration.ofNanos(1)).run(items);
        assertEquals(RuleRegistry.getRules().size(), findings.size());
        assertTrue(findings.stream().anyMatch(f -> f.severity().equals("NA") && f.summary().contains("did not finish")),
                findings::toString);
    }

    private static Map<String, JmcFinding> byId(List<JmcFinding> findings) {
        return findings.stream().collect(Collectors.toMap(JmcFinding::id, Function.identity()));
    }

    private static Set<String> idsAndSeverities(List<JmcFinding> findings) {
        return findings.stream().map(f -> f.id() + "=" + f.severity()).collect(Collectors.toSet());
    }
}
