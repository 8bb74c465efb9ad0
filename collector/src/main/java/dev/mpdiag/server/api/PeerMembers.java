package dev.mpdiag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.ClusterView;
import dev.mpdiag.server.query.Members;
import dev.mpdiag.server.query.Selection;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The other members of this collector's cluster, asked over HTTP, all at once, with this member's token. */
public final class PeerMembers implements Members {
    private final ClusterView cluster;
    private final PeerQueries peers;

    public PeerMembers(ClusterView cluster, PeerQueries peers) {
        this.cluster = cluster;
        this.peers = peers;
    }

    @Override
    public boolean serves(String processId) {
        return cluster.serves(processId);
    }

    @Override
    public String ownerOf(String processId) {
        try {
            return cluster.ownerOf(processId);
        } catch (Exception e) {
            throw unavailable("Kafka", "the cluster's members are unknown: " + e.getMessage());
        }
    }

    @Override
    public List<Selection.Remote> processes() {
        List<Selection.Remote> out = new ArrayList<>();
        for (PeerQueries.Answer a : peers.get("/api/v1/processes", null, null)) {
            if (a.body() == null) {
                throw unavailable(a.peer(), a.problem());
            }
            for (JsonNode p : a.body().path("processes")) {
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                p.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                out.add(new Selection.Remote(a.peer(), p.path("id").asText(), p.path("service").asText(),
                        HeatmapApi.label(labels, p.path("pid").asLong())));
            }
        }
        return out;
    }

    @Override
    public Map<String, Map<String, Summary>> summaries(Map<String, List<String>> idsByMember, long fromMillis,
            long toMillis, boolean split) {
        Map<String, Map<String, Summary>> out = new LinkedHashMap<>();
        post(idsByMember, "/api/v1/cluster/summaries", range(fromMillis, toMillis) + "&split=" + split, (member, in) -> {
            Map<String, Summary> m = new LinkedHashMap<>();
            for (int i = SummaryFrames.header(in); i > 0; i--) {
                m.put(in.readUTF(), SummaryFrames.summary(in));
            }
            out.put(member, m);
        });
        return out;
    }

    @Override
    public Map<String, List<RemoteCheckData>> checkData(Map<String, List<String>> idsByMember, boolean rolling,
            long fromMillis, long toMillis) {
        Map<String, List<RemoteCheckData>> out = new LinkedHashMap<>();
        post(idsByMember, "/api/v1/cluster/checks", range(fromMillis, toMillis) + "&rolling=" + rolling, (member, in) -> {
            List<RemoteCheckData> l = new ArrayList<>();
            for (int i = SummaryFrames.header(in); i > 0; i--) {
                l.add(new RemoteCheckData(in.readUTF(), in.readUTF(), SummaryFrames.labels(in),
                        SummaryFrames.summary(in), SummaryFrames.summary(in)));
            }
            out.put(member, l);
        });
        return out;
    }

    @Override
    public List<JsonNode> seriesRows(Map<String, List<String>> idsByMember, List<String> metrics, long fromMillis,
            long toMillis) {
        List<JsonNode> rows = new ArrayList<>();
        String q = range(fromMillis, toMillis) + "&metric=" + URLEncoder.encode(String.join(",", metrics),
                StandardCharsets.UTF_8);
        post(idsByMember, "/api/v1/cluster/series", q, (member, in) ->
                Replies.JSON.readTree(in).path("series").forEach(rows::add));
        return rows;
    }

    private interface FrameReader {
        void read(String member, DataInputStream in) throws IOException;
    }

    private void post(Map<String, List<String>> idsByMember, String path, String query, FrameReader reader) {
        Map<String, CompletableFuture<HttpResponse<byte[]>>> calls = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : idsByMember.entrySet()) {
            byte[] body = String.join("\n", e.getValue()).getBytes(StandardCharsets.UTF_8);
            calls.put(e.getKey(), send(request(e.getKey(), path, query)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
        }
        for (Map.Entry<String, CompletableFuture<HttpResponse<byte[]>>> c : calls.entrySet()) {
            HttpResponse<byte[]> r = await(c.getKey(), c.getValue());
            try {
                reader.read(c.getKey(), new DataInputStream(new ByteArrayInputStream(r.body())));
            } catch (IOException e) {
                throw unavailable(c.getKey(), "its answer to " + path + " could not be read: " + e.getMessage());
            }
        }
    }

    private HttpRequest.Builder request(String member, String path, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(member + path + "?" + query))
                .timeout(PeerQueries.FORWARD_TIMEOUT).header(ClusterView.SCOPE_HEADER, "local");
        String auth = peers.authorization(null);
        return auth == null ? b : b.header("Authorization", auth);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest.Builder b) {
        return peers.http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The member's answer when it is a 200; otherwise the whole query fails with 503 naming the member and why. */
    private static HttpResponse<byte[]> await(String member, CompletableFuture<HttpResponse<byte[]>> call) {
        HttpResponse<byte[]> r;
        try {
            r = call.join();
        } catch (RuntimeException e) {
            throw unavailable(member, String.valueOf(e.getCause() != null ? e.getCause() : e));
        }
        if (r.statusCode() != 200) {
            String detail = new String(r.body(), StandardCharsets.UTF_8);
            throw unavailable(member, "HTTP " + r.statusCode() + " " + detail.substring(0, Math.min(300, detail.length())));
        }
        return r;
    }

    private static String range(long fromMillis, long toMillis) {
        return "from=" + fromMillis + (toMillis < Long.MAX_VALUE / 2 ? "&to=" + toMillis : "");
    }

    private static ApiException unavailable(String member, String why) {
        // 503: a member away or a share being moved passes within seconds; a part of the data is never answered
        return new ApiException(503, "cluster member unavailable", "this query needs the data of " + member
                + ", which did not give it: " + why + "; retry in a few seconds");
    }
}
