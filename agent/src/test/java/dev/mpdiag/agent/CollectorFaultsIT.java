package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two child JVMs (FaultsApp, one spooling in memory only, one with a small disk spool too) stream to a
 * {@link FaultyCollector} that is absent at their start, then killed mid-run, hanging, answering 500, answering
 * 413 and reading at 1 KB/s, each fault followed by a healthy stretch. Through every fault: the host's work
 * keeps its pace, the agent's threads stay cheap and few, the spool stays within spool.memory (and spool.disk),
 * the heap within the spool's bound plus a margin, and what cannot be kept is counted as drops (413s as
 * rejections) and shown in the X-Mpdiag-Health of the uploads acknowledged after it. After each fault the first
 * upload is acknowledged within two intervals, and at exit every seq is accounted for: acknowledged, rejected
 * or dropped. Throughput against agent-off is bench/agent-faults.sh's business, not a test's.
 */
class CollectorFaultsIT {

    static final long INTERVAL_MILLIS = 2_000;
    // About 140 KB per 2 s cut here, so either spool holds about three cuts and a 14 s fault (six or seven cuts)
    // overflows it; the disk spool holds one cut.
    static final long MEMORY_SPOOL = 384 * 1024;
    static final long DISK_CHILD_MEMORY = 256 * 1024;
    static final long DISK_CHILD_DISK = 192 * 1024;
    static final long FAULT_MILLIS = 14_000;
    // The children's start-up comes out of the first fault.
    static final long FIRST_FAULT_MILLIS = 16_000;
    // Longer than the agent's 10 s http.timeout, so a hung request times out and is tried again within the fault.
    static final long HANG_MILLIS = 14_000;
    static final long TOO_LARGE_MILLIS = 8_000;
    static final long HEALTHY_MILLIS = 6_000;
    // Heap after a full GC over the healthy stretches' median: the spool, one cut being split, and this much
    // for everything else (measured spread of heap after GC here: a few hundred KB).
    static final long HEAP_MARGIN = 1024 * 1024;
    // The work thread needs about 1% of a core; this far behind its timeline means the host was held up.
    static final long MAX_LAG_OPS = 2 * FaultsApp.OPS_PER_SECOND;
    // The cutter and sender's CPU, as a share of one core, in any stretch; a retry loop that spun would take ~100%.
    static final double MAX_AGENT_CORE_SHARE = 0.10;
    // cutter, sender, http watchdog
    static final int AGENT_THREADS = 3;
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    /** One step of the plan: the collector in {@code mode} for {@code millis}. */
    record Step(String name, FaultyCollector.Mode mode, long millis) {
    }

    /** One stretch of the run under one collector mode; {@code end} is when the next one began. */
    record Phase(String name, FaultyCollector.Mode mode, long start, long end) {
    }

    /** One child's tick line (FaultsApp). */
    record Tick(long t, long done, long due, Map<String, Long> values) {
        long get(String key) {
            Long v = values.get(key);
            return v == null ? -1 : v;
        }
    }

    record Child(String name, ChildJvm jvm, long spoolMemory, long spoolDisk, Path spoolDir) {
        long pid() {
            return Long.parseLong(jvm.value("pid"));
        }
    }

    @Test
    void theHostKeepsGoingTheSpoolStaysBoundedDropsAreCountedAndShippingResumes() throws Exception {
        Path stop = tmp.resolve("stop");
        Path spoolDir = Files.createDirectories(tmp.resolve("spool"));
        List<Phase> phases = new ArrayList<>();
        Map<String, Long> diskMax = new HashMap<>();
        List<Child> children = new ArrayList<>();
        try (FaultyCollector collector = FaultyCollector.start(FaultyCollector.Mode.ABSENT)) {
            String common = "collector=" + collector.url() + ",interval=" + INTERVAL_MILLIS + "ms,exit.timeout=10s";
            long start = System.currentTimeMillis();
            children.add(new Child("memory", startChild(common + ",service=faults-mem,spool.memory=" + MEMORY_SPOOL, stop),
                    MEMORY_SPOOL, 0, null));
            children.add(new Child("disk", startChild(common + ",service=faults-disk,spool.memory=" + DISK_CHILD_MEMORY
                    + ",spool.dir=" + spoolDir + ",spool.disk=" + DISK_CHILD_DISK, stop),
                    DISK_CHILD_MEMORY, DISK_CHILD_DISK, spoolDir));
            for (Child c : children) {
                c.jvm().awaitStdout("pid=", CHILD_TIMEOUT);
            }
            List<Step> plan = List.of(
                    new Step("absent at start", FaultyCollector.Mode.ABSENT, FIRST_FAULT_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS),
                    new Step("killed mid-run", FaultyCollector.Mode.ABSENT, FAULT_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS),
                    new Step("hang", FaultyCollector.Mode.HANG, HANG_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS),
                    new Step("500", FaultyCollector.Mode.ERROR_500, FAULT_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS),
                    new Step("413", FaultyCollector.Mode.TOO_LARGE_413, TOO_LARGE_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS),
                    new Step("slow 1 KB/s", FaultyCollector.Mode.SLOW, FAULT_MILLIS),
                    new Step("healthy", FaultyCollector.Mode.OK, HEALTHY_MILLIS));
            // The first stretch began when the children were started, with the collector absent; each later one
            // when the collector switched, which is also when the stretch before it ended (a fault's recovery).
            long[] starts = new long[plan.size() + 1];
            for (int i = 0; i < plan.size(); i++) {
                starts[i] = i == 0 ? start : collector.mode(plan.get(i).mode());
                hold(starts[i] + plan.get(i).millis(), children, diskMax);
            }
            starts[plan.size()] = System.currentTimeMillis();
            for (int i = 0; i < plan.size(); i++) {
                phases.add(new Phase(plan.get(i).name(), plan.get(i).mode(), starts[i], starts[i + 1]));
            }
            Files.createFile(stop);
            for (Child c : children) {
                assertEquals(0, c.jvm().awaitExit(CHILD_TIMEOUT), c.jvm().describe());
            }
            List<FaultyCollector.Ack> acks = collector.acks();
            for (Child c : children) {
                check(c, phases, acks, diskMax.getOrDefault(c.name(), 0L));
            }
        } finally {
            for (Child c : children) {
                c.jvm().close();
            }
        }
    }

    private ChildJvm startChild(String agentOptions, Path stop) throws IOException {
        return ChildJvm.start(ChildJvm.THIS_JAVA, List.of("-Xmx64m", "-javaagent:" + ChildJvm.agentJar() + "=" + agentOptions),
                FaultsApp.class, List.of("until=" + stop), Map.of(), tmp);
    }

    /** Waits until {@code until} (epoch ms), sampling the disk spools' size; fails fast when a child died. */
    private static void hold(long until, List<Child> children, Map<String, Long> diskMax) throws Exception {
        while (System.currentTimeMillis() < until) {
            for (Child c : children) {
                assertTrue(c.jvm().process.isAlive(), c.name() + " child died: " + c.jvm().describe());
                if (c.spoolDir() != null) {
                    diskMax.merge(c.name(), directoryBytes(c.spoolDir()), Math::max);
                }
            }
            Thread.sleep(Math.max(1, Math.min(200, until - System.currentTimeMillis())));
        }
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // sent and deleted between the listing and now
                }
            }).sum();
        } catch (UncheckedIOException e) {
            return 0; // a file vanished under the walk; the next sample counts again
        }
    }

    private void check(Child c, List<Phase> phases, List<FaultyCollector.Ack> allAcks, long diskMax) {
        String who = c.name() + " child: ";
        ChildJvm jvm = c.jvm();
        long pid = c.pid();
        List<Tick> ticks = ticks(jvm.stdout());
        List<FaultyCollector.Ack> acks = allAcks.stream().filter(a -> a.pid() == pid).toList();
        assertTrue(ticks.size() > 100, who + "only " + ticks.size() + " ticks: " + jvm.describe());

        List<Long> healthyHeap = new ArrayList<>();
        for (Phase p : phases) {
            if (p.mode() == FaultyCollector.Mode.OK) {
                for (Tick t : in(ticks, p)) {
                    if (t.get("heapAfterGc") > 0) {
                        healthyHeap.add(t.get("heapAfterGc"));
                    }
                }
            }
        }
        healthyHeap.sort(null);
        long baseHeap = healthyHeap.get(healthyHeap.size() / 2);
        long heapBound = baseHeap + 2 * c.spoolMemory() + HEAP_MARGIN;
        long spoolBound = c.spoolMemory() + c.spoolDisk();

        System.out.printf("%s child: spool.memory=%d KB spool.disk=%d KB interval=%d ms; healthy heap after GC: median %.1f MB"
                        + " (%d samples), bound %.1f MB%n", c.name(), c.spoolMemory() / 1024, c.spoolDisk() / 1024,
                INTERVAL_MILLIS, baseHeap / 1048576.0, healthyHeap.size(), heapBound / 1048576.0);
        System.out.printf("  %-16s %6s %9s %6s %9s %8s %7s %9s %9s %8s %7s %7s%n", "phase", "secs", "resume_ms", "drops+",
                "dropKB+", "rejected+", "retries+", "spoolKB", "heapMB", "lag_ops", "agent%", "threads");
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            List<Tick> window = in(ticks, p);
            assertTrue(window.size() >= 5, who + p.name() + ": " + window.size() + " ticks");
            Tick before = lastBefore(ticks, p.start());
            Tick last = window.get(window.size() - 1);
            long drops = last.get("Drops") - Math.max(0, before == null ? 0 : before.get("Drops"));
            long droppedBytes = last.get("DroppedBytes") - Math.max(0, before == null ? 0 : before.get("DroppedBytes"));
            long rejected = last.get("Rejected") - Math.max(0, before == null ? 0 : before.get("Rejected"));
            long retries = last.get("Retries") - Math.max(0, before == null ? 0 : before.get("Retries"));
            long spoolMax = window.stream().mapToLong(t -> t.get("SpoolBytes")).max().orElse(0);
            long heapMax = window.stream().mapToLong(t -> t.get("heapAfterGc")).max().orElse(-1);
            long lag = window.stream().mapToLong(t -> t.due() - t.done()).max().orElse(0);
            Tick first = before == null ? window.get(0) : before;
            double agentShare = (last.get("agentCpuNs") - first.get("agentCpuNs")) / 1e6 / Math.max(1, last.t() - first.t());
            long threads = window.stream().mapToLong(t -> t.get("agentThreads")).max().orElse(0);
            String resume = "";
            boolean fault = p.mode() != FaultyCollector.Mode.OK;
            if (fault) {
                FaultyCollector.Ack ack = acks.stream().filter(a -> a.millis() >= p.end()).findFirst().orElse(null);
                assertNotNull(ack, who + "nothing acknowledged after " + p.name());
                long resumeMillis = ack.millis() - p.end();
                resume = Long.toString(resumeMillis);
                // The claim: shipping resumes within two intervals of the collector's recovery. The agent's retry
                // delay is at most one interval (Backoff), so the second interval is the upload's own time.
                assertTrue(resumeMillis <= 2 * INTERVAL_MILLIS, who + "after " + p.name() + " the first upload was"
                        + " acknowledged " + resumeMillis + " ms after recovery; more than 2 intervals");
                // What the agent could not keep through the fault is counted and shown to the collector: an upload
                // acknowledged in the healthy stretch after it carries the counts. (Not always the first one: a
                // request held by a hanging collector carries the counts of when it was sent.)
                Phase healthy = phases.get(i + 1);
                Map<String, String> shown = acks.stream()
                        .filter(a -> a.millis() >= p.end() && a.millis() < healthy.end())
                        .map(a -> StreamingIT.form(a.health()))
                        .filter(h -> Long.parseLong(h.get("drops")) >= last.get("Drops")
                                && Long.parseLong(h.get("rejected")) >= last.get("Rejected"))
                        .findFirst().orElse(null);
                assertNotNull(shown, who + p.name() + ": no upload after it shows the " + last.get("Drops")
                        + " drops and " + last.get("Rejected") + " rejections counted by then");
                assertTrue(!shown.get("lastError").isEmpty(), who + p.name() + ": no lastError in " + shown);
                errors.add(p.name() + ": " + shown.get("lastError").replaceFirst("^\\S+ ", ""));
                if (p.mode() == FaultyCollector.Mode.TOO_LARGE_413) {
                    assertTrue(rejected >= 2, who + "413s counted as rejections: " + rejected);
                    assertTrue(shown.get("lastError").contains("HTTP 413"), who + shown);
                } else {
                    assertTrue(drops >= 1 && droppedBytes > 0, who + p.name() + ": " + (p.end() - p.start())
                            + " ms of fault overflow a spool of " + spoolBound + " bytes, yet no drop was counted");
                    assertTrue(retries >= 1, who + p.name() + ": retried " + retries);
                }
                if (p.mode() == FaultyCollector.Mode.ERROR_500) {
                    assertTrue(shown.get("lastError").contains("HTTP 500"), who + shown);
                }
                if (p.mode() == FaultyCollector.Mode.ABSENT) {
                    assertTrue(shown.get("lastError").contains("ConnectException"), who + shown);
                }
            }
            System.out.printf("  %-16s %6.1f %9s %6d %9d %8d %7d %9d %9.1f %8d %6.1f%% %7d%n", p.name(),
                    (p.end() - p.start()) / 1000.0, resume, drops, droppedBytes / 1024, rejected, retries,
                    spoolMax / 1024, heapMax / 1048576.0, lag, agentShare * 100, threads);
            assertTrue(spoolMax <= spoolBound, who + p.name() + ": spool held " + spoolMax + " bytes, over " + spoolBound);
            assertTrue(heapMax <= heapBound, who + p.name() + ": heap after GC " + heapMax + " bytes, over " + heapBound);
            assertTrue(lag <= MAX_LAG_OPS, who + p.name() + ": the host's work fell " + lag + " operations behind");
            assertTrue(last.done() - window.get(0).done() > 0, who + p.name() + ": the host did no work");
            assertTrue(agentShare <= MAX_AGENT_CORE_SHARE, who + p.name() + ": the agent's threads used "
                    + agentShare * 100 + "% of a core");
            assertTrue(threads <= AGENT_THREADS, who + p.name() + ": " + threads + " agent threads");
        }
        errors.forEach(e -> System.out.println("  last error shown after " + e));
        if (c.spoolDir() != null) {
            System.out.printf("  disk spool: at most %d KB on disk (spool.disk %d KB)%n", diskMax / 1024, c.spoolDisk() / 1024);
            assertTrue(diskMax <= c.spoolDisk(), who + "disk spool held " + diskMax + " bytes");
            assertTrue(diskMax > 0, who + "the disk spool was never used");
        }

        // At exit every seq is accounted for: acknowledged, rejected (413) or dropped, each counted once.
        FaultyCollector.Ack fin = acks.get(acks.size() - 1);
        assertTrue(fin.isFinal(), who + "the last acknowledged upload is the final one: " + fin);
        Map<String, String> health = StreamingIT.form(fin.health());
        Set<Long> acked = new HashSet<>();
        acks.forEach(a -> acked.add(a.seq()));
        long drops = Long.parseLong(health.get("drops"));
        long rejected = Long.parseLong(health.get("rejected"));
        System.out.printf("  at exit: final seq %d = %d acknowledged + %d rejected + %d dropped (%d KB); %d retries;"
                        + " %d warning line(s)%n", fin.seq(), acked.size(), rejected, drops,
                Long.parseLong(health.get("droppedBytes")) / 1024, Long.parseLong(health.get("retries")),
                jvm.stderr().lines().count());
        assertEquals(fin.seq(), acked.size() + rejected + drops, who + "seqs unaccounted for; acked " + acked
                + ", health " + health);
        // One warning per outage and one for the first rejection; never one per retry or per drop. (A cut larger
        // than spool.memory, which a busy machine can make by cutting late, is dropped with one warning of its own.)
        List<String> lines = jvm.stderr().lines().toList();
        long uploadWarnings = 0;
        for (String line : lines) {
            assertTrue(line.startsWith("mpagent: upload seq ") || line.startsWith("mpagent: a cut of "),
                    who + "unexpected stderr line: " + line);
            uploadWarnings += line.startsWith("mpagent: upload seq ") ? 1 : 0;
        }
        assertTrue(uploadWarnings <= 6, who + uploadWarnings + " warnings for 5 outages and one rejection: " + jvm.stderr());
    }

    private static List<Tick> in(List<Tick> ticks, Phase p) {
        return ticks.stream().filter(t -> t.t() >= p.start() && t.t() < p.end()).toList();
    }

    private static Tick lastBefore(List<Tick> ticks, long millis) {
        Tick found = null;
        for (Tick t : ticks) {
            if (t.t() < millis) {
                found = t;
            }
        }
        return found;
    }

    private static List<Tick> ticks(String stdout) {
        List<Tick> ticks = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            if (!line.startsWith("tick ")) {
                continue;
            }
            Map<String, Long> values = new HashMap<>();
            for (String part : line.substring(5).split(" ")) {
                int eq = part.indexOf('=');
                values.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            }
            ticks.add(new Tick(values.get("t"), values.get("done"), values.get("due"), values));
        }
        return ticks;
    }
}
