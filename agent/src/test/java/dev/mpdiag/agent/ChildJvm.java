package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child JVM started by a test, with its output in files, bounded by timeouts and destroyed on close. */
final class ChildJvm implements AutoCloseable {

    // Overridable (mvn ... -Dmpagent.jdk25=...) for machines that keep JDK 25 elsewhere.
    static final Path JDK25_JAVA = Path.of(System.getProperty("mpagent.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    static final Path THIS_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    final List<String> command;
    final Process process;
    private final Path out;
    private final Path err;
    private volatile long exitMillis;

    private ChildJvm(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
        process.onExit().thenRun(() -> exitMillis = System.currentTimeMillis());
    }

    /** The JDKs to test on: this one, and JDK 25 when installed (a notice says when it is not). */
    static List<Path> javas() {
        List<Path> javas = new ArrayList<>();
        javas.add(THIS_JAVA);
        if (Files.isExecutable(JDK25_JAVA)) {
            javas.add(JDK25_JAVA);
        } else {
            System.out.println("NOTICE: JDK 25 not found at " + JDK25_JAVA + "; testing on this JDK only");
        }
        return javas;
    }

    static String agentJar() {
        return AgentRecordingIT.agentJar().toAbsolutePath().toString();
    }

    static String testClasses() {
        return Path.of(System.getProperty("mpagent.testClasses", "target/test-classes")).toAbsolutePath().toString();
    }

    /** Starts {@code java [jvmArgs] -cp test-classes mainClass [args]} with {@code env} added. */
    static ChildJvm start(Path java, List<String> jvmArgs, Class<?> mainClass, List<String> args,
                          Map<String, String> env, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(testClasses());
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return start(cmd, env, dir);
    }

    static ChildJvm start(List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(AgentMain.ENV_OPTIONS); // only what the test sets
        pb.environment().putAll(env);
        return new ChildJvm(List.copyOf(cmd), pb.start(), out, err);
    }

    /** Waits for exit; fails the test (after killing the child) when it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child JVM did not exit within " + timeout + ": " + describe());
        }
        return process.exitValue();
    }

    /** When the process ended (epoch ms), once {@link #awaitExit} returned. */
    long exitMillis() throws InterruptedException {
        for (int i = 0; i < 100 && exitMillis == 0; i++) {
            Thread.sleep(10); // onExit's callback runs on another thread
        }
        return exitMillis;
    }

    /** Waits until stdout holds {@code text}; fails the test when it does not in time or the child dies. */
    void awaitStdout(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stdout().contains(text)) {
            assertTrue(process.isAlive() || stdout().contains(text), "child exited before printing " + text
                    + ": " + describe());
            assertTrue(System.nanoTime() < deadline, "no " + text + " within " + timeout + ": " + describe());
            Thread.sleep(50);
        }
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    /** The value of the last stdout line {@code key=value}, or null. */
    String value(String key) {
        String found = null;
        for (String line : stdout().split("\\R")) {
            if (line.startsWith(key + "=")) {
                found = line.substring(key.length() + 1);
            }
        }
        return found;
    }

    String describe() {
        return "command " + command + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
