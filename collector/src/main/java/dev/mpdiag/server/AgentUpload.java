package dev.mpdiag.server;

import dev.mpdiag.server.store.ProcessIdentity;
import java.nio.ByteBuffer;

/**
 * One upload from an agent as it came over HTTP: who sent it, its sequence number and headers (labels and health
 * as the agent encoded them, already checked to parse), and the JFR bytes. What a collector stores, and in a
 * cluster what goes through Kafka unchanged to the collector that owns the process.
 */
public record AgentUpload(ProcessIdentity identity, long seq, boolean last, String labels, String health,
        long intervalMillis, String profile, String agentVersion, ByteBuffer body) {
}
