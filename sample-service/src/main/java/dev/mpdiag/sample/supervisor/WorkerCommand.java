package dev.mpdiag.sample.supervisor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The command line of worker i: the same JVM and jar as the supervisor, one core's worth of JVM
 * ergonomics, optionally pinned with taskset and carrying the agent. The JVM is started directly, never
 * through a shell (taskset execs it), so the supervisor's child is the worker and the supervisor reaps it.
 */
final class WorkerCommand implements WorkerCommandLine {
    private final Path java;
    /** {@code -jar JAR} when running from the jar, {@code -cp PATH dev.mpdiag.sample.Main} otherwise. */
    private final List<String> launch;
    private final SupervisorOptions options;
    private final Path controlDir;
    /** {@code taskset} when pinning and it exists, else null. */
    private final String taskset;
    /** CPU ids this process may run on, to pin worker i to cpus[i mod n]. */
    private final int[] cpus;

    WorkerCommand(Path java, List<String> launch, SupervisorOptions options, Path controlDir, String taskset, int[] cpus) {
        this.java = java;
        this.launch = List.copyOf(launch);
        this.options = options;
        this.controlDir = controlDir;
        this.taskset = taskset;
        this.cpus = cpus.clone();
    }

    /** The running JVM and the jar (or class path) this supervisor was started from. */
    static WorkerCommand forThisJvm(SupervisorOptions options, Path controlDir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path codeSource;
        try {
            codeSource = Path.of(SupervisorMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IOException("cannot locate the jar of the supervisor: " + e.getMessage(), e);
        }
        List<String> launch = Files.isRegularFile(codeSource)
                ? List.of("-jar", codeSource.toString())
                : List.of("-cp", System.getProperty("java.class.path"), "dev.mpdiag.sample.Main");
        String taskset = null;
        if (options.pin) {
            taskset = findOnPath("taskset");
            if (taskset == null) {
                SupervisorLog.event("warning: --pin given but taskset is not on PATH; workers run unpinned");
            }
        }
        return new WorkerCommand(java, launch, options, controlDir, taskset, CpuList.allowedCpus());
    }

    @Override
    public List<String> build(int index, Collection<String> faults) {
        List<String> cmd = new ArrayList<>();
        if (taskset != null) {
            cmd.add(taskset);
            cmd.add("-c");
            cmd.add(Integer.toString(cpus[index % cpus.length]));
        }
        cmd.add(java.toString());
        cmd.addAll(options.jvmOpts);
        cmd.add("-XX:ActiveProcessorCount=1");
        if (options.agentJar != null) {
            String agentOpts = options.agentOptions.isEmpty()
                    ? "label.index=" + index
                    : options.agentOptions + ",label.index=" + index;
            cmd.add("-javaagent:" + options.agentJar + "=" + agentOpts);
        }
        cmd.addAll(launch);
        cmd.add("worker");
        cmd.add("--index");
        cmd.add(Integer.toString(index));
        cmd.add("--port");
        cmd.add(Integer.toString(options.port));
        cmd.add("--host");
        cmd.add(options.host);
        cmd.add("--workers");
        cmd.add(Integer.toString(options.workers));
        cmd.add("--control");
        cmd.add(controlDir.toString());
        if (!faults.isEmpty()) {
            cmd.add("--faults");
            cmd.add(String.join(",", faults));
        }
        return cmd;
    }

    boolean pinned() {
        return taskset != null;
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate) && Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
