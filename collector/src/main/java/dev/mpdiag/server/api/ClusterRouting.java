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
 * In a cluster, sends a query about processes another member owns to that member and relays its answer, so any
 * member answers for every process (the dashboard and scripts need no idea of who owns what). A query whose
 * processes live on several members, or that names a whole service, cannot be answered by one member: until
 * summaries are merged across members it is refused with 501 and the reason, never answered with a part of the
 * data as if it were all of it.
 */
public final class ClusterRouting {
    /** The process and service parameters of every query endpoint (diff names two selections, a. and b.). */
    private static final String[] PROCESS_PARAMS = {"process", "a.process", "b.process"};
    private static final String[] SERVICE_PARAMS = {"service", "a.service", "b.service"};

    private final ClusterView cluster;
    private final PeerQueries peers;

    public ClusterRouting(ClusterView cluster) {
        this.cluster = cluster;
        this.peers = new PeerQueries(cluster);
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
            if (!cluster.peers().isEmpty()) {
                throw new ApiException(501, "spans cluster members", "a query over a whole service or all processes "
                        + "needs every member's data, and merging it across members is not built yet: name the "
                        + "processes (process=ID), each member's own in one query (docs/cluster.md)");
            }
            return;
        }
        Set<String> owners = new LinkedHashSet<>();
        for (String id : ids) {
            String owner = cluster.ownerOf(id);
            owners.add(owner == null ? "" : owner);
        }
        if (owners.size() > 1) {
            throw new ApiException(501, "spans cluster members", "these processes are stored on " + owners.size()
                    + " cluster members, and merging across members is not built yet: ask for each member's "
                    + "processes on their own (docs/cluster.md)");
        }
        String owner = owners.iterator().next();
        if (owner.isEmpty()) {
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
