package dev.mpdiag.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Load: 64 simulated agents replay real mpagent chunks at one upload per 5 s each to a real collector (its own
 * JVM, mpdiag.jar serve), for 35 s (the first 10 s reported apart as warm-up). Every upload must be acknowledged and stored, and each must be served by the
 * series API within two intervals of being sent. bench/soak-load.sh ramps the same load on one pinned core.
 */
class SimulatedAgentsIT {
    static final Path OUT = Path.of("target", "it-soak");
    static final int AGENTS = 64;
    static final long INTERVAL_MILLIS = 5_000;
    static final long WARMUP_SECONDS = 10;
    static final long SECONDS = 25;

    @Test
    void sixtyFourAgentsAreStoredAndVisibleWithinTwoIntervals() throws Exception {
        int port = ChildJvm.freePort();
        Path data = Dirs.fresh(OUT.resolve("data"));
        try (ChildJvm collector = ChildJvm.collector(port, data, OUT.resolve("collector.log"))) {
            AgentChunks chunks = AgentChunks.obtain(Recordings.DIR.resolve("agent-chunks.jfr"), port, OUT);
            long bytes = chunks.chunks.stream().mapToLong(c -> c.bytes().length).sum();
            System.out.printf("replaying %d real mpagent chunks (%d KB on average, agent %s, profile %s)%n",
                    chunks.chunks.size(), bytes / chunks.chunks.size() / 1024, chunks.agentVersion, chunks.profile);
            LoadStats s = LoadRun.run(port, collector.process.pid(), chunks, AGENTS, WARMUP_SECONDS, SECONDS,
                    INTERVAL_MILLIS);
            System.out.println("SimulatedAgentsIT: " + s.summary());
            if (!s.keptUp()) {
                System.out.println("SimulatedAgentsIT: fell behind: " + s.fellBehind());
            }

            // Each agent cuts once per interval for the whole run: about 7 each, never fewer than 6.
            assertTrue(s.cuts >= AGENTS * ((WARMUP_SECONDS + SECONDS) * 1000 / INTERVAL_MILLIS - 1), "cuts: " + s.summary());
            assertEquals(0, s.rejected, "rejected: " + s.firstRejection);
            assertEquals(0, s.backlog, "every cut was sent: " + s.summary());
            assertEquals(s.cuts, s.acknowledged, "every upload acknowledged with 2xx: " + s.summary());
            // Stored exactly once each: the processes list counts every acknowledged seq, and only a retry (after an
            // attempt that timed out on a busy machine) may be answered as a repeat.
            assertEquals(0, s.listedMismatches, "/api/v1/processes counts every acknowledged upload: " + s.summary());
            assertTrue(s.acknowledged - s.stored <= s.retries, "repeats without retries: " + s.summary());
            assertEquals(0, s.notVisible, "every upload became visible: " + s.summary());
            // Over the whole run, the collector's cold start and the 64 new processes included.
            double max = LoadStats.percentile(s.sendToVisible, 100);
            assertTrue(max < 2 * INTERVAL_MILLIS, "send-to-visible max " + max + " ms is over two intervals: " + s.summary());
            double cutMax = LoadStats.percentile(s.cutToVisible, 100);
            assertTrue(cutMax < 2 * INTERVAL_MILLIS, "cut-to-visible max " + cutMax + " ms is over two intervals: " + s.summary());
        }
    }
}
