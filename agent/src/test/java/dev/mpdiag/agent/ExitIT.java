package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVM exit with the agent: the final upload holds the event committed just before main returned, and exit
 * is never held up longer than exit.timeout, whether the collector answers, is absent, or hangs.
 */
class ExitIT {

    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);
    // Two runs per JDK here, and one more in the exit test's answering case.
    static final int RUNS_PER_JDK = 2;
    // exit.timeout below, plus generous room for JVM teardown on a busy machine (13 s measured at a load average
    // of 30 on 2 cores, with several child JVMs at once); still well under the 30 s http.timeout, so
    // an agent that waited for its 30 s http.timeout would blow through it.
    static final long EXIT_TIMEOUT_MILLIS = 1_000;
    static final long EXIT_SLACK_MILLIS = 20_000;

    @TempDir
    Path tmp;

    @Test
    void theFinalUploadHoldsTheLastEventBeforeMainReturned() throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int run = 1; run <= RUNS_PER_JDK; run++) { // all at once: each run is mostly JVM start-up
                for (Path java : ChildJvm.javas()) {
                    Receiver rx = Receiver.start();
                    receivers.add(rx);
                    // cpu-dense names jdk.CPUTimeSample, which only JDK 25 has: it must load on both.
                    children.add(ChildJvm.start(java, List.of("-javaagent:" + ChildJvm.agentJar() + "=collector="
                            // What the final upload holds is tested here, not how fast it goes (exitIsPrompt...
                            // does that): a roomy exit.timeout keeps a slow, busy machine from cutting it off.
                            + rx.url() + ",interval=1s,profile=cpu-dense,exit.timeout=20s"), StreamingApp.class, List.of("run=1500"),
                            Map.of(), tmp));
                }
            }
            for (int i = 0; i < children.size(); i++) {
                ChildJvm child = children.get(i);
                assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child.describe());
                assertTrue(child.stderr().isEmpty(), child.describe());
                checkFinalUpload(child, receivers.get(i), "JDK " + child.value("feature") + " child " + i + ": ");
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
            receivers.forEach(Receiver::close);
        }
    }

    private void checkFinalUpload(ChildJvm child, Receiver rx, String what) throws Exception {
        List<Receiver.Upload> uploads = rx.uploads();
        assertTrue(!uploads.isEmpty(), what + "nothing uploaded");
        Receiver.Upload last = uploads.get(uploads.size() - 1);
        assertTrue(last.isFinal(), what + "the last upload is marked final");
        assertEquals(uploads.size(), last.seq(), what + "and it is the last seq");
        // At exit two things can close the last chunk: our hook's cut (when it runs before JFR's own hook) and
        // JFR's stop, which the listener ships as the final upload. The last event is in one of those two, or
        // one earlier when the 1 s interval's own cut fell between the last event and the exit hook (a fresh
        // clone saw that once: the last two uploads held no marker at all). Every marker, the last included,
        // must still arrive exactly once (below).
        List<Long> atExit = new java.util.ArrayList<>();
        for (Receiver.Upload u : uploads.subList(Math.max(0, uploads.size() - 3), uploads.size())) {
            atExit.addAll(JfrChunks.markers(JfrChunks.events(JfrChunks.split(u.seq(), u.body()), tmp)));
        }
        assertTrue(atExit.contains(MarkerEvent.LAST), what + "the uploads made at exit lack the last marker: " + atExit);
        assertEquals(JfrChunks.expectedMarkers(Long.parseLong(child.value("markers"))),
                JfrChunks.sortedMarkers(JfrChunks.events(JfrChunks.split(uploads), tmp)), what + "every marker once");
    }

    @Test
    void exitIsPromptWhetherTheCollectorAnswersIsAbsentOrHangs() throws Exception {
        List<Receiver> receivers = new ArrayList<>();
        List<ChildJvm> children = new ArrayList<>();
        List<String> cases = new ArrayList<>();
        try {
            for (Path java : ChildJvm.javas()) {
                Receiver answering = Receiver.start();
                Receiver hanging = Receiver.start();
                hanging.mode(Receiver.Mode.HANG);
                receivers.add(answering);
                receivers.add(hanging);
                String absent = "http://127.0.0.1:" + StreamingIT.freePort();
                for (String[] c : new String[][] {{"answering", answering.url()}, {"absent", absent},
                    {"hanging", hanging.url()}}) {
                    cases.add(java + " collector " + c[0]);
                    children.add(ChildJvm.start(java, List.of("-javaagent:" + ChildJvm.agentJar() + "=collector=" + c[1]
                            + ",interval=1s,http.timeout=30s,exit.timeout=" + EXIT_TIMEOUT_MILLIS + "ms"),
                            StreamingApp.class, List.of("run=2000"), Map.of(), tmp));
                }
            }
            for (int i = 0; i < children.size(); i++) {
                ChildJvm child = children.get(i);
                assertEquals(0, child.awaitExit(CHILD_TIMEOUT), cases.get(i) + ": " + child.describe());
                long exitDelay = child.exitMillis() - Long.parseLong(child.value("main-returns-at"));
                System.out.println(cases.get(i) + ": exit " + exitDelay + " ms after main returned");
                assertTrue(exitDelay < EXIT_TIMEOUT_MILLIS + EXIT_SLACK_MILLIS,
                        cases.get(i) + ": exit took " + exitDelay + " ms after main returned\n" + child.describe());
                for (String line : child.stderr().lines().toList()) {
                    assertTrue(line.startsWith("mpagent: upload seq "), cases.get(i) + ": " + child.describe());
                }
                assertTrue(child.stderr().lines().count() <= 1, "at most one warning: " + child.describe());
                // What the final upload holds is theFinalUploadHoldsTheLastEventBeforeMainReturned's business: with
                // a 1 s budget on a loaded machine the last cut may rightly be given up, so only timing is judged here.
            }
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
            receivers.forEach(Receiver::close);
        }
    }
}
