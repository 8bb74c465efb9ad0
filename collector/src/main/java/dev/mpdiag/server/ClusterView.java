package dev.mpdiag.server;

import java.util.List;

/**
 * What the API needs to know of the cluster this collector is in: whether it answers for a process now, and
 * where the other members are. Absent (null) on a single collector.
 */
public interface ClusterView {
    /** The header a member sends when it fans a query out, so the member asked answers from itself alone. */
    String SCOPE_HEADER = "X-Mpdiag-Scope";

    boolean serves(String processId);

    /** The base URLs of the other members. */
    List<String> peers() throws Exception;

    /** The base URL of the other member that owns the process now, or null when it is this one or none. */
    String ownerOf(String processId) throws Exception;

    /** This member's share, for /metrics: partitions owned and still replaying, records stored and skipped. */
    record Status(int ownedPartitions, int replayingPartitions, long recordsStored, long recordsSkipped) {
    }

    Status status();
}
