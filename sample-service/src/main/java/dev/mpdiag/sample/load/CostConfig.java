package dev.mpdiag.sample.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One configuration a cost run measures against no agent: a name and the mpagent options (null: no agent).
 * {@code off2} is a second JVM without the agent, whose ratio to {@code off} is the run's noise floor; a name with
 * {@code @fault} (default@hang) streams to a {@link BrokenCollector} failing that way.
 */
record CostConfig(String name, String profile, String extraOptions, String fault) {

    static final String OFF = "off";
    static final String NOISE = "off2";

    boolean agent() {
        return profile != null;
    }

    /** Whether this streams to the run's real collector (an agent without a planted collector fault). */
    boolean streams() {
        return agent() && fault == null;
    }

    /**
     * Parses {@code off2}, a bundled profile's name, {@code stock} (the JDK's default.jfc), {@code async} (default
     * with profiler=async), a .jfc path, each optionally {@code @absent|@hang|@500|@slow}.
     */
    static CostConfig parse(String text, Path javaHome) {
        String name = text;
        String fault = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            name = text.substring(0, at);
            fault = text.substring(at + 1);
            if (!BrokenCollector.MODES.contains(fault)) {
                throw new IllegalArgumentException("collector fault in '" + text + "' must be one of " + BrokenCollector.MODES);
            }
        }
        if (name.equals(OFF) || name.equals(NOISE)) {
            if (fault != null) {
                throw new IllegalArgumentException("'" + text + "': a JVM without the agent has no collector to break");
            }
            return new CostConfig(name, null, null, null);
        }
        String profile = name;
        String extra = "";
        if (name.equals("stock")) {
            Path jfc = javaHome.resolve("lib/jfr/default.jfc");
            if (!Files.isRegularFile(jfc)) {
                throw new IllegalArgumentException("stock: no " + jfc);
            }
            profile = jfc.toString();
        } else if (name.equals("async")) {
            profile = "default";
            extra = ",profiler=async";
        } else if (name.endsWith(".jfc")) {
            if (!Files.isRegularFile(Path.of(name))) {
                throw new IllegalArgumentException("no such file " + name);
            }
            profile = Path.of(name).toAbsolutePath().toString();
        }
        return new CostConfig(text, profile, extra, fault);
    }

    /** The worker's command: pinned to {@code cpus}, {@code serve} on one port, the agent when this has one. */
    List<String> command(Path java, Path jar, Path agentJar, String collectorUrl, String heap, String cpus, int port) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus, java.toString(), "-Xms" + heap, "-Xmx" + heap));
        if (agent()) {
            cmd.add("-javaagent:" + agentJar + "=collector=" + collectorUrl + ",service=cost-bench,label.config="
                    + name.replace('@', '-') + ",profile=" + profile + extraOptions);
        }
        cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", Integer.toString(port)));
        return cmd;
    }
}
