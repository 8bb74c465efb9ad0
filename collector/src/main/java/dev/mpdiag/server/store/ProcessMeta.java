package dev.mpdiag.server.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the registry knows of a process beyond its stored data: labels, the agent's health and settings,
 * JVM identity, when it was first and last heard from. Saved as process.json in the process's folder.
 */
public final class ProcessMeta {
    /** How the data arrived: streamed by an agent, or uploaded as .jfr files after the run. */
    public static final String AGENT = "agent";
    public static final String UPLOAD = "upload";

    public String id;
    public String service;
    public String host;
    public long pid;
    public long startMillis;
    public String kind = AGENT;
    public Map<String, String> labels = new LinkedHashMap<>();
    public Map<String, String> health = new LinkedHashMap<>();
    public long intervalMillis;
    public String profile;
    public String agentVersion;
    public long firstSeenMillis;
    public long lastSeenMillis;
    public boolean exited;
    public String jvmName;
    public String jvmVersion;
    public String jvmArguments;
    public String javaArguments;

    public ProcessIdentity identity() {
        return new ProcessIdentity(service, host, pid, startMillis);
    }
}
