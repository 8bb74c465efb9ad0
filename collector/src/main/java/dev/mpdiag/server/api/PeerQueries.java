package dev.mpdiag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.server.ClusterView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks every other member of the cluster the same question, with {@link ClusterView#SCOPE_HEADER} set so each
 * answers from itself alone, all at once and each within a few seconds: a dead member costs a query that long at
 * most, and is reported, never waited on.
 */
public final class PeerQueries {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A forwarded query may be a big profile the owner has to merge: as long as a client would wait for it. */
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(60);

    /** One member's answer: its JSON body, or null and why not. */
    record Answer(String peer, JsonNode body, String problem) {
    }

    private final ClusterView cluster;
    private final String ownAuthorization;
    final HttpClient http;

    /**
     * token is this member's access token (null: none): members of a cluster share one, and a caller's own header
     * is absent when the dashboard authenticates with its cookie, so a member asks the others with its own.
     */
    public PeerQueries(ClusterView cluster, String token, javax.net.ssl.SSLContext tls) {
        this.cluster = cluster;
        this.ownAuthorization = token == null ? null : "Bearer " + token;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        // tls: the members' CA (--tls-ca); null keeps the JVM's default trust for https:// members
        this.http = (tls == null ? b : b.sslContext(tls)).build();
    }

    /** The caller's Authorization header when it sent one, else this member's token. */
    String authorization(String callers) {
        return callers != null ? callers : ownAuthorization;
    }

    /** GET path?query from each other member; authorization (the caller's header, or null) is passed on. */
    List<Answer> get(String path, String query, String authorization) {
        List<String> peers;
        try {
            peers = cluster.peers();
        } catch (Exception e) {
            return List.of(new Answer("kafka", null, "the cluster's members are unknown: " + e.getMessage()));
        }
        List<CompletableFuture<Answer>> calls = new ArrayList<>();
        for (String peer : peers) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(peer + path + (query == null ? "" : "?" + query)))
                    .timeout(TIMEOUT).header(ClusterView.SCOPE_HEADER, "local").GET();
            if (authorization(authorization) != null) {
                b.header("Authorization", authorization(authorization));
            }
            calls.add(http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
                if (e != null) {
                    return new Answer(peer, null, String.valueOf(e.getCause() != null ? e.getCause() : e));
                }
                if (r.statusCode() == 404) {
                    return new Answer(peer, Replies.JSON.createObjectNode(), null); // nothing of that there
                }
                if (r.statusCode() != 200) {
                    return new Answer(peer, null, "HTTP " + r.statusCode());
                }
                try {
                    return new Answer(peer, Replies.JSON.readTree(r.body()), null);
                } catch (java.io.IOException bad) {
                    return new Answer(peer, null, "not JSON: " + bad.getMessage());
                }
            }));
        }
        List<Answer> answers = new ArrayList<>();
        for (CompletableFuture<Answer> c : calls) {
            answers.add(c.join());
        }
        return answers;
    }

    /** The owner's answer to the same GET, as it is (status, type and body): the caller relays it. */
    HttpResponse<byte[]> forward(String owner, String path, String query, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(owner + path + (query == null ? "" : "?" + query)))
                .timeout(FORWARD_TIMEOUT).header(ClusterView.SCOPE_HEADER, "local").GET();
        if (authorization(authorization) != null) {
            b.header("Authorization", authorization(authorization));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
