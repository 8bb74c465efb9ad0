package dev.mpdiag.soak;

import dev.mpdiag.testing.Http;
import java.nio.charset.StandardCharsets;

/** Waiting for a collector cluster to form, for the cluster test and the cluster load ramp alike. */
final class ClusterMembers {
    private ClusterMembers() {
    }

    /** Waits (60 s at most) until the member on port sees the whole group (its fan-out reaches members - 1 others). */
    static void await(int port, int members) throws Exception {
        Http http = new Http(port);
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            Http.Reply r = http.get("/api/v1/processes");
            last = r.status() + " " + new String(r.body(), StandardCharsets.UTF_8);
            if (r.status() == 200 && r.json().path("members").asInt() == members && !r.json().has("unreachable")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("collector on " + port + " never saw " + members + " members: " + last);
    }
}
