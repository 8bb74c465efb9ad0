package dev.mpdiag.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.CollectorLaunch;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.HotWorker;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.Recordings;
import dev.mpdiag.testing.TestCa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS end to end with a CA the test makes: `serve --tls-cert/--tls-key` answers HTTPS only; a real agent given
 * that CA (tls.ca=) streams; one given another CA is refused with one clear line and its host runs to its end;
 * a key that is not one stops serve with one line.
 */
class TlsIT {
    static final Path OUT = Path.of("target", "it-tls");
    final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void cleanup() {
        children.forEach(ChildJvm::close);
    }

    @Test
    void agentsTrustOnlyTheirCaAndTheCollectorServesHttpsOnly() throws Exception {
        Path dir = Dirs.fresh(OUT);
        TestCa ca = TestCa.make(dir.resolve("pki"), "good");
        TestCa other = TestCa.make(dir.resolve("pki"), "other");
        int port = ChildJvm.freePort();
        children.add(new CollectorLaunch(port, dir.resolve("data"), dir.resolve("collector.log"))
                .serveOptions("--tls-cert", ca.certPem.toString(), "--tls-key", ca.keyPem.toString())
                .https(ca.trust()).start());
        assertThrows(IOException.class, () -> new Http(port).get("/api/v1"), "no answer in the clear");
        assertThrows(IOException.class, () -> new Http(port, other.trust()).get("/api/v1"),
                "a client trusting another CA is refused the handshake");

        String agent = "-javaagent:" + Recordings.agentJar() + "=collector=https://127.0.0.1:" + port
                + ",service=tlssvc,interval=1s,tls.ca=";
        ChildJvm trusted = app("trusted", agent + ca.caPem.toAbsolutePath());
        ChildJvm refused = app("refused", agent + other.caPem.toAbsolutePath() + ",label.role=wrong-ca");
        assertEquals(0, trusted.waitFor(60), trusted.output());
        assertEquals(0, refused.waitFor(60), "the host runs to its end: " + refused.output());
        assertFalse(trusted.output().contains("TLS refused"), trusted.output());
        long lines = refused.output().lines().filter(l -> l.contains("TLS refused")).count();
        assertEquals(1, lines, "one clear line, not one per retry: " + refused.output());
        assertTrue(refused.output().contains("not trusted by tls.ca"), refused.output());

        JsonNode processes = new Http(port, ca.trust()).get("/api/v1/processes").json().get("processes");
        assertEquals(1, processes.size(), "only the agent trusting the collector's CA got in: " + processes);
        assertFalse(processes.get(0).path("labels").has("role"), processes.toString());
        assertTrue(processes.get(0).path("data").path("uploads").asLong() >= 2, processes.toString());
        System.out.println("TlsIT: " + processes.get(0).path("data").path("uploads").asLong() + " uploads over HTTPS; "
                + "the agent with another CA said: " + refused.output().lines().filter(l -> l.contains("TLS refused"))
                .findFirst().orElse(""));
    }

    @Test
    void aKeyThatIsNotOneStopsServeWithOneLine() throws Exception {
        TestCa ca = TestCa.make(Dirs.fresh(OUT.resolve("bad-key")), "bad");
        Cli.Run r = Cli.run("serve", "--port", "0", "--data", OUT.resolve("bad-key/data").toString(),
                "--tls-cert", ca.certPem.toString(), "--tls-key", ca.certPem.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--tls-key") && r.err().contains("BEGIN PRIVATE KEY"), r.err());
        Cli.Run half = Cli.run("serve", "--port", "0", "--tls-cert", ca.certPem.toString());
        assertEquals(2, half.exit(), half.err());
        assertTrue(half.err().contains("go together"), half.err());
    }

    ChildJvm app(String name, String agent) throws Exception {
        ChildJvm w = HotWorker.startWithAgent(OUT.resolve(name + ".log"), agent);
        children.add(w);
        return w;
    }
}
