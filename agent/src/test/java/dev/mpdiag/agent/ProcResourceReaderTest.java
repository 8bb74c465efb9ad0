package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads this test JVM's real /proc before and after opening descriptors and starting threads. */
class ProcResourceReaderTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    }

    @Test
    void countsDescriptorsByKind() throws Exception {
        ProcResourceReader reader = new ProcResourceReader();
        // Other threads of this JVM open and close files of their own (class loading, the test runner), so a
        // baseline read while one of theirs happens to be open is too high: take the least of a few samples.
        long files = Long.MAX_VALUE;
        long sockets = Long.MAX_VALUE;
        long pipes = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            assertTrue(reader.sample());
            files = Math.min(files, reader.fdFile());
            sockets = Math.min(sockets, reader.fdSocket());
            pipes = Math.min(pipes, reader.fdPipe());
            Thread.sleep(20);
        }

        List<Closeable> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                open.add(new FileInputStream(Files.writeString(tmp.resolve("f" + i), "x").toFile()));
            }
            for (int i = 0; i < 3; i++) {
                open.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            Pipe pipe = Pipe.open(); // two descriptors, one per end
            open.add(pipe.source());
            open.add(pipe.sink());

            assertTrue(reader.sample(false));
            assertEquals(List.of(), reader.patterns().top(5), "a light sample counts no patterns");
            assertEquals(ProcResourceReader.UNAVAILABLE, reader.ctxVoluntary(), "nor switches");
            assertTrue(reader.threads() > 0 && reader.fdFile() >= files + 20, "but threads and descriptors");
            assertTrue(reader.sample(true));
            String ours = tmp.toRealPath().resolve("f0").toString().replaceAll("[0-9]+", "#");
            assertTrue(reader.patterns().top(5).stream().anyMatch(e -> e.getKey().equals(ours) && e.getValue() >= 20),
                    ours + " in " + reader.patterns().top(5));
            assertTrue(reader.fdFile() >= files + 20, reader.fdFile() + " vs " + files);
            assertTrue(reader.fdSocket() >= sockets + 3, reader.fdSocket() + " vs " + sockets);
            assertTrue(reader.fdPipe() >= pipes + 2, reader.fdPipe() + " vs " + pipes);
            assertEquals(reader.fdTotal(),
                    reader.fdFile() + reader.fdSocket() + reader.fdPipe() + reader.fdOther());
        } finally {
            for (Closeable c : open) {
                c.close();
            }
        }
        assertTrue(reader.sample());
        assertTrue(reader.fdFile() <= files + 19, "closed files still counted: " + reader.fdFile());
    }

    @Test
    void sumsContextSwitchesOverAllThreadsNotJustMain() throws Exception {
        ProcResourceReader reader = new ProcResourceReader();
        assertTrue(reader.sample());
        long threadsBefore = reader.threads();

        int sleeps = 50;
        CountDownLatch slept = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread t = new Thread(() -> {
                try {
                    // Each sleep blocks in the kernel: at least one voluntary switch of this thread.
                    for (int s = 0; s < sleeps; s++) {
                        Thread.sleep(1);
                    }
                    slept.countDown();
                    release.await(); // stay alive: an exited thread's switches leave /proc with it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "reader-test-" + i);
            t.start();
            threads.add(t);
        }
        try {
            slept.await();
            assertTrue(reader.sample());
            assertTrue(reader.threads() >= threadsBefore + 5, reader.threads() + " vs " + threadsBefore);
            // The process-level line counts only the main thread; our five live threads add at least
            // 5 * sleeps on top of it. (Comparing with an earlier sum could fail when, say, a JIT
            // compiler thread exits in between and takes its switches with it.)
            long mainThreadOnly = mainThreadVoluntarySwitches();
            assertTrue(reader.ctxVoluntary() >= mainThreadOnly + 5L * sleeps,
                    reader.ctxVoluntary() + " vs main thread's " + mainThreadOnly);
            assertTrue(reader.ctxInvoluntary() >= 0);
            assertTrue(reader.rssBytes() > 1024 * 1024, "rss " + reader.rssBytes());
            assertEquals(maxOpenFiles(), reader.fdLimit(), "the soft limit of /proc/self/limits");
            assertTrue(reader.sample(false));
            assertEquals(ProcResourceReader.UNAVAILABLE, reader.fdLimit(), "read on full samples only");
        } finally {
            release.countDown();
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /** The soft "Max open files" limit, or -1 when unlimited. */
    private static long maxOpenFiles() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
            }
        }
        throw new AssertionError("no Max open files line in /proc/self/limits");
    }

    private static long mainThreadVoluntarySwitches() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches line in /proc/self/status");
    }

    @Test
    void withoutProcNothingIsSampledAndCountsStayUnavailable() {
        ProcResourceReader reader = new ProcResourceReader(tmp.resolve("no-proc").toString());
        assertFalse(reader.available());
        assertFalse(reader.sample());
        long[] counts = {reader.fdTotal(), reader.fdFile(), reader.fdSocket(), reader.fdPipe(),
            reader.fdOther(), reader.threads(), reader.ctxVoluntary(), reader.ctxInvoluntary(),
            reader.rssBytes(), reader.fdLimit()};
        for (long c : counts) {
            assertEquals(ProcResourceReader.UNAVAILABLE, c);
        }
    }
}
