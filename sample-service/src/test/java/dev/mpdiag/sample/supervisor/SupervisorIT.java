package dev.mpdiag.sample.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The supervisor as a user runs it: {@code java -jar target/sample-service.jar supervise} with two real
 * worker JVMs on loopback. Each test starts its own supervisor; {@link SupervisorRun#close} kills whatever
 * is left, even when the test fails.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisorIT {
    private SupervisorRun run;

    @AfterEach
    void killEverything() throws InterruptedException {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void workersShareThePortAndAWorkerKilledWithSigkillComesBackWithItsFaults() throws Exception {
        run = SupervisorRun.start("share-and-restart", "--workers", "2");
        JsonNode ready = run.awaitReady(2);
        long pid0 = worker(ready, 0).get("pid").asLong();
        long pid1 = worker(ready, 1).get("pid").asLong();

        Map<String, Integer> answeredBy = traffic(200);
        assertEquals(Set.of("0/" + pid0, "1/" + pid1), answeredBy.keySet(),
                "both workers answer on the shared port, by X-Mpdiag-Worker: " + answeredBy);

        HttpResponse<String> on = run.admin("POST", "/supervisor/faults/contention?on=true&worker=0");
        assertEquals(200, on.statusCode(), on.body());
        JsonNode relayed = SupervisorRun.json(on);
        assertTrue(relayed.get("ok").asBoolean(), on.body());
        assertEquals(1, relayed.get("workers").size(), "only worker 0 was asked: " + on.body());

        ProcessHandle.of(pid0).orElseThrow().destroyForcibly();
        JsonNode after = run.awaitStatus("worker 0 back with a new pid", Duration.ofSeconds(15), s -> {
            JsonNode w = worker(s, 0);
            return w.get("alive").asBoolean() && w.get("pid").asLong() != pid0 && w.hasNonNull("faults");
        });
        JsonNode w0 = worker(after, 0);
        assertEquals(1, w0.get("restarts").asInt(), after.toString());
        assertEquals(137, w0.get("lastExitCode").asInt(), "128 + SIGKILL: " + after);
        assertEquals("[\"contention\"]", w0.get("faults").toString(), "the restarted worker gets its faults again");
        JsonNode w1 = worker(after, 1);
        assertEquals(pid1, w1.get("pid").asLong(), "the other worker was left alone");
        assertEquals(0, w1.get("restarts").asInt());
        assertEquals("[]", w1.get("faults").toString());

        long newPid0 = w0.get("pid").asLong();
        run.trackWorker(newPid0);
        assertTrue(traffic(200).containsKey("0/" + newPid0), "the restarted worker serves the shared port");
        assertTrue(run.logText().contains("worker 0 (pid " + pid0 + ") was killed by signal 9"), run.logText());
    }

    @Test
    void relaysFaultSwitchesAndRejectsBadAdminInput() throws Exception {
        run = SupervisorRun.start("faults", "--workers", "2");
        JsonNode ready = run.awaitReady(2);
        List<Long> pids = List.of(worker(ready, 0).get("pid").asLong(), worker(ready, 1).get("pid").asLong());
        int leakedBefore = leakedFiles(pids.get(0)) + leakedFiles(pids.get(1));
        int fdsBefore = fdCount(pids.get(0)) + fdCount(pids.get(1));

        HttpResponse<String> on = run.admin("POST", "/supervisor/faults/fd-leak?on=true");
        assertEquals(200, on.statusCode(), on.body());
        JsonNode relayed = SupervisorRun.json(on);
        assertTrue(relayed.get("ok").asBoolean(), on.body());
        assertEquals(2, relayed.get("workers").size(), on.body());
        for (JsonNode w : run.status().get("workers")) {
            assertEquals("[\"fd-leak\"]", w.get("faults").toString(), "every worker reports the fault on");
        }

        trafficFor(Duration.ofSeconds(1));
        int leakedAfter = leakedFiles(pids.get(0)) + leakedFiles(pids.get(1));
        int fdsAfter = fdCount(pids.get(0)) + fdCount(pids.get(1));
        // 50 files a second in time in each worker, whatever the request rate: about 100 in 1 s of traffic
        assertTrue(leakedAfter - leakedBefore >= 20, "leaked files " + leakedBefore + " -> " + leakedAfter);
        assertTrue(fdsAfter - fdsBefore >= 20, "open descriptors " + fdsBefore + " -> " + fdsAfter);

        assertError(run.admin("POST", "/supervisor/faults/nope?on=true"), 400, "unknown fault");
        assertError(run.admin("POST", "/supervisor/faults/fd-leak?on=maybe"), 400, "bad parameter on");
        assertError(run.admin("POST", "/supervisor/faults/fd-leak"), 400, "bad parameter on");
        assertError(run.admin("POST", "/supervisor/faults/fd-leak?on=true&worker=2"), 400, "bad parameter worker");
        assertError(run.admin("POST", "/supervisor/faults/fd-leak?on=true&worker=-1"), 400, "bad parameter worker");
        assertError(run.admin("GET", "/supervisor/faults/fd-leak"), 405, "method not allowed");
        assertError(run.admin("DELETE", "/supervisor/status"), 405, "method not allowed");
        assertError(run.admin("GET", "/supervisor/nothing"), 404, "not found");

        HttpResponse<String> off = run.admin("POST", "/supervisor/faults/fd-leak?on=false&worker=1");
        assertEquals(200, off.statusCode(), off.body());
        JsonNode status = run.status();
        assertEquals("[\"fd-leak\"]", worker(status, 0).get("faults").toString());
        assertEquals("[]", worker(status, 1).get("faults").toString());
    }

    @Test
    void sigtermDrainsStopsAndReapsEveryWorker() throws Exception {
        run = SupervisorRun.start("sigterm", "--workers", "2", "--stop-timeout", "5s");
        JsonNode ready = run.awaitReady(2);
        List<Long> pids = List.of(worker(ready, 0).get("pid").asLong(), worker(ready, 1).get("pid").asLong());

        run.process.destroy(); // SIGTERM
        assertTrue(run.process.waitFor(20, TimeUnit.SECONDS), "the supervisor exits within its stop timeout");
        for (long pid : pids) {
            // the supervisor waited for each child before exiting: no process left, not even a zombie
            assertEquals("gone", procState(pid), "worker pid " + pid + " after the supervisor exited");
        }
        String log = run.logText();
        assertTrue(log.contains("worker 0 (pid " + pids.get(0) + ") stopped, exit code 0"), log);
        assertTrue(log.contains("worker 1 (pid " + pids.get(1) + ") stopped, exit code 0"), log);
        assertFalse(log.contains("killing it"), "both drained without SIGKILL: " + log);
    }

    @Test
    void workersExitByThemselvesWhenTheSupervisorIsKilled() throws Exception {
        run = SupervisorRun.start("orphans", "--workers", "2");
        JsonNode ready = run.awaitReady(2);
        List<Long> pids = List.of(worker(ready, 0).get("pid").asLong(), worker(ready, 1).get("pid").asLong());

        run.process.destroyForcibly();
        run.process.waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        List<String> states = new ArrayList<>();
        while (true) {
            states.clear();
            boolean running = false;
            for (long pid : pids) {
                String state = procState(pid);
                states.add(pid + ":" + state);
                // a zombie has exited; reaping an orphan is init's job once its parent is gone
                running |= !state.equals("gone") && !state.equals("Z");
            }
            if (!running) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("orphaned workers still running 3 s after the supervisor was killed: " + states);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aBadOptionExitsTwoWithOneLineAndTheUsage() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", SupervisorRun.JAR.toString(), "supervise", "--port", "http").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.startsWith("supervise: --port needs a whole number from 1 to 65535, got 'http'\nUsage:"), out);
    }

    private static JsonNode worker(JsonNode status, int index) {
        for (JsonNode w : status.get("workers")) {
            if (w.get("index").asInt() == index) {
                return w;
            }
        }
        throw new AssertionError("no worker " + index + " in " + status);
    }

    /** Sends n requests, each on a new connection so the kernel picks a worker each time; counts by header. */
    private Map<String, Integer> traffic(int n) throws IOException {
        Map<String, Integer> byWorker = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byWorker.merge(String.valueOf(run.freshGet("/api/hello")), 1, Integer::sum);
        }
        return byWorker;
    }

    /** Requests one after another for a while: the leaks grow with time, not with the number of requests. */
    private void trafficFor(Duration d) throws IOException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            run.freshGet("/api/hello");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String error) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode body = SupervisorRun.json(r);
        assertEquals(error, body.path("error").asText(), r.body());
        assertFalse(body.path("detail").asText().isBlank(), r.body());
    }

    private static int fdCount(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Descriptors of pid open on the fd-leak fault's files. */
    private static int leakedFiles(long pid) throws IOException {
        Set<String> targets = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains("mpdiag-fd-leak-")) {
                        targets.add(fd.getFileName() + "=" + target);
                    }
                } catch (NoSuchFileException e) {
                    // closed while we listed
                }
            }
        }
        return targets.size();
    }

    /** The state letter from /proc/PID/stat (R, S, Z, ...), or "gone" when there is no such process. */
    private static String procState(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name is in parentheses and may hold spaces: the state follows the last ')'
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (NoSuchFileException e) {
            return "gone";
        }
    }
}
