package dev.mpdiag.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.engine.Summary;
import java.util.List;
import java.util.Map;

/**
 * The other members of a cluster as a query sees them: which processes they answer for, and their stored data.
 * Each call that cannot reach a member throws an ApiException (503) naming it: a query over the whole cluster
 * is answered whole or not at all, never with a part of the data as if it were all of it.
 */
public interface Members {
    /** Whether this member answers for the process now (it owns its partition and has replayed it). */
    boolean serves(String processId);

    /** The base URL of the other member that answers for the process, or null when it is this one or none. */
    String ownerOf(String processId);

    /** Every process the other members answer for, each once. */
    List<Selection.Remote> processes();

    /**
     * Each member's summaries of its named processes over [from, to]: one per process when split, else one merged
     * summary per member (keyed ""), so only one summary per member crosses the network for a merged query.
     */
    Map<String, Map<String, Summary>> summaries(Map<String, List<String>> idsByMember, long fromMillis,
            long toMillis, boolean split);

    /**
     * The leak and health checks' input of each member's named processes (its rolling window or [from, to], and
     * its first minute), as {@link #summaries} with the process's service and labels beside.
     */
    Map<String, List<RemoteCheckData>> checkData(Map<String, List<String>> idsByMember, boolean rolling,
            long fromMillis, long toMillis);

    /** Each member's rows of GET /api/v1/series (one per metric and process) for its named processes over [from, to]. */
    List<JsonNode> seriesRows(Map<String, List<String>> idsByMember, List<String> metrics, long fromMillis,
            long toMillis);

    /** A remote process's checks input. early is null when its data starts inside the window. */
    record RemoteCheckData(String id, String service, Map<String, String> labels, Summary window, Summary early) {
    }
}
