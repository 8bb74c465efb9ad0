package dev.mpdiag.server.api;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.ClusterView;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * In a cluster, sends a query whose processes another member answers for, all of them, to that member and relays
 * its answer whole (it has every chunk of them: any endpoint, the raw .jfr too). Any other query (a whole
 * service, all processes, or processes on several members) goes on to this member's handler, which merges the
 * other members' summaries into its answer (Query, Members).
 */
public final class ClusterRouting {
    /** The process and service parameters of every query endpoint (diff names two selections, a. and b.). */
    private static final String[] PROCESS_PARAMS = {"process", "a.process", "b.process"};
    private static final String[] SERVICE_PARAMS = {"service", "a.service", "b.service"};

    private final ClusterView cluster;
    private final PeerQueries peers;

    public ClusterRouting(ClusterView cluster, PeerQueries peers) {
        this.cluster = cluster;
        this.peers = peers;
    }

    /** A before-handler for the query endpoints. */
    public void route(Context ctx) throws Exception {
        if (ctx.method() != HandlerType.GET || "local".equals(ctx.header(ClusterView.SCOPE_HEADER))) {
            return;
        }
        List<String> ids = new ArrayList<>();
        for (String name : PROCESS_PARAMS) {
            for (String v : ctx.queryParams(name)) {
                for (String id : v.split(",")) {
                    if (!id.isBlank()) {
                        ids.add(id.trim());
                    }
                }
            }
        }
        boolean wholeServices = false;
        for (String name : SERVICE_PARAMS) {
            wholeServices |= ctx.queryParams(name).stream().anyMatch(v -> !v.isBlank());
        }
        if (ids.isEmpty() || wholeServices) {
            return;
        }
        Set<String> owners = new LinkedHashSet<>();
        for (String id : ids) {
            String owner = cluster.ownerOf(id);
            owners.add(owner == null ? "" : owner);
        }
        String owner = owners.iterator().next();
        if (owners.size() > 1 || owner.isEmpty()) {
            return;
        }
        HttpResponse<byte[]> r;
        try {
            r = peers.forward(owner, ctx.path(), ctx.queryString(), ctx.header("Authorization"));
        } catch (java.io.IOException e) {
            throw new ApiException(503, "owner unreachable", "the member that stores these processes (" + owner
                    + ") did not answer: " + e.getMessage() + "; Kafka moves its share to another member within "
                    + "seconds if it is gone");
        }
        ctx.status(r.statusCode());
        r.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        ctx.result(r.body());
        ctx.skipRemainingHandlers();
    }
}
