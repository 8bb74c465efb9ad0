package dev.mpdiag.server;

import static dev.mpdiag.server.CollectorApiTest.agentHeaders;
import static dev.mpdiag.server.CollectorApiTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.checks.Limits;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A collector started with a token: every ingest and API call needs it; the dashboard's own files do not. */
class AccessTokenTest {
    static final String TOKEN = "s3cret-token-0123";
    static byte[] chunk;

    @TempDir
    Path data;
    CollectorServer server;
    Http http;

    @BeforeAll
    static void record() throws Exception {
        chunk = CollectorApiTest.chunksOf(Recordings.jdk17MultiChunk()).get(0);
    }

    @BeforeEach
    void start() throws Exception {
        server = CollectorServer.start(new CollectorServer.Config("127.0.0.1", 0, data, 64 << 20, 86_400_000L,
                1L << 40, 64 << 20, Limits.defaults(), AccessToken.of(TOKEN)), m -> { });
        http = new Http(server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyEndpointAnswers401WithoutTheTokenAndServesWithIt() throws Exception {
        for (String endpoint : CollectorServer.ENDPOINTS) {
            String[] mp = endpoint.split(" ");
            String path = mp[1];
            Http.Reply none = mp[0].equals("GET") ? http.get(path) : http.post(path, Map.of(), new byte[] {1, 2});
            assertError(none, 401, "unauthorized");
            assertTrue(none.json().get("detail").asText().contains("Bearer"), none.text());
            Map<String, String> wrong = Map.of("Authorization", "Bearer not-" + TOKEN);
            Http.Reply bad = mp[0].equals("GET") ? http.get(path, wrong) : http.post(path, wrong, new byte[] {1, 2});
            assertError(bad, 401, "unauthorized");
            assertEquals("wrong access token", bad.json().get("detail").asText());
            if (mp[0].equals("GET")) {
                assertNotEquals(401, http.get(path, Map.of("Authorization", "Bearer " + TOKEN)).status(), endpoint);
                assertNotEquals(401, http.get(path, Map.of("Cookie", AccessToken.COOKIE + "=" + TOKEN)).status(), endpoint);
            }
        }
        assertError(http.get("/api/v1/no-such-thing"), 401, "unauthorized");
    }

    @Test
    void ingestWithTheTokenIsStoredAndWithoutItNothingIs() throws Exception {
        assertError(http.post("/api/v1/ingest", agentHeaders("orders", 5, 1), chunk), 401, "unauthorized");
        Map<String, String> h = agentHeaders("orders", 5, 1);
        h.put("Authorization", "Bearer " + TOKEN);
        Http.Reply ok = http.post("/api/v1/ingest", h, chunk);
        assertEquals(200, ok.status(), ok.text());
        Http.Reply list = http.get("/api/v1/processes", Map.of("Authorization", "Bearer " + TOKEN));
        assertEquals(1, list.json().get("processes").size(), list.text());
    }

    @Test
    void theDashboardLoadsWithoutTheTokenSoItCanAskForIt() throws Exception {
        for (String file : List.of("/", "/index.html", "/js/api.js", "/js/token.js", "/dashboard.css")) {
            Http.Reply r = http.get(file);
            assertEquals(200, r.status(), file);
        }
    }

    @Test
    void tokensThatCannotTravelInAHeaderOrCookieAreRefused() {
        for (String t : new String[] {"short", "has space in it", "semi;colon;token", "x".repeat(257), ""}) {
            assertThrows(IllegalArgumentException.class, () -> AccessToken.of(t), t);
        }
        assertEquals(AccessToken.class, AccessToken.of("0123456789abcdef").getClass());
    }
}
