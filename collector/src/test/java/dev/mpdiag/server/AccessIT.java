package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.Browser;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.HotWorker;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Access end to end: `mpdiag serve` with its defaults binds loopback only; with --token-file, real agents with
 * the token stream and one without it is refused (and says so); the dashboard asks for the token once.
 */
class AccessIT {
    static final Path OUT = Path.of("target", "it-access");
    static final String TOKEN = "it-token-5d41402abc4b2a76";
    final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void cleanup() {
        children.forEach(ChildJvm::close);
    }

    @Test
    void tokenCollectorOnLoopbackTakesAgentsWithTheTokenAndTheDashboardAsksOnce() throws Exception {
        Path dir = Dirs.fresh(OUT);
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        int port = ChildJvm.freePort();
        ChildJvm collector = ChildJvm.collector(Path.of("target", "mpdiag.jar"), port, dir.resolve("data"),
                dir.resolve("collector.log"), "--token-file", tokenFile.toString());
        children.add(collector);
        assertEquals(List.of("127.0.0.1"), listeningAddresses(port), "default bind address");

        String agentBase = "-javaagent:" + Recordings.agentJar() + "=collector=http://127.0.0.1:" + port
                + ",service=tokensvc,interval=1s";
        ChildJvm with = app("with-token", agentBase + ",token.file=" + tokenFile.toAbsolutePath());
        ChildJvm without = app("without-token", agentBase + ",label.role=no-token");
        assertEquals(0, with.waitFor(60), with.output());
        assertEquals(0, without.waitFor(60), without.output());
        String refused = without.output();
        assertTrue(refused.contains("rejected") && refused.contains("401"), refused);

        Http http = new Http(port);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
        JsonNode processes = http.get("/api/v1/processes", auth).json().get("processes");
        assertEquals(1, processes.size(), processes.toString());
        assertFalse(processes.get(0).path("labels").has("role"), "only the agent with the token got in: " + processes);
        assertEquals(401, http.get("/api/v1/processes").status());
        assertEquals(401, http.get("/metrics").status());

        try (Browser browser = Browser.start()) {
            browser.openUrl("http://127.0.0.1:" + port + "/#/overview");
            browser.waitUntil("the token dialog", "return document.querySelector('[data-role=token-dialog]') !== null;");
            browser.js("document.querySelector('[data-role=token-input]').value = arguments[0];"
                    + "document.querySelector('[data-role=token-save]').click();", "wrong-token-123");
            browser.waitUntil("the dialog again, saying the token was wrong",
                    "const p = document.querySelector('[data-role=token-problem]'); return p && /refused/.test(p.textContent);");
            browser.js("document.querySelector('[data-role=token-input]').value = arguments[0];"
                    + "document.querySelector('[data-role=token-save]').click();", TOKEN);
            browser.waitUntil(Duration.ofSeconds(30), "the process row",
                    "return document.querySelectorAll('[data-role=process-row]').length === 1;");
            browser.screenshot("access-overview");
            browser.openUrl("http://127.0.0.1:" + port + "/#/overview");
            browser.waitUntil(Duration.ofSeconds(30), "the process row after a reload",
                    "return document.querySelectorAll('[data-role=process-row]').length === 1;");
            assertEquals(Boolean.TRUE, browser.js("return document.querySelector('[data-role=token-dialog]') === null;"),
                    "asked once: the reload used the saved token");
        }
    }

    ChildJvm app(String name, String agent) throws Exception {
        ChildJvm w = HotWorker.startWithAgent(OUT.resolve(name + ".log"), agent);
        children.add(w);
        return w;
    }

    /** The local addresses of listening TCP sockets on port, from /proc/net/tcp and tcp6 (Linux). */
    static List<String> listeningAddresses(int port) throws Exception {
        List<String> out = new ArrayList<>();
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                // f[1] local address HEX:PORT, f[3] state; 0A is LISTEN
                if (f.length > 3 && f[1].endsWith(portHex) && f[3].equals("0A")) {
                    out.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return out;
    }

    private static String address(String hex) {
        if (hex.length() == 8) { // IPv4, little-endian bytes
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // an IPv4-mapped address, as Java's sockets bind v4
            return address(hex.substring(24));
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : "v6:" + hex;
    }
}
