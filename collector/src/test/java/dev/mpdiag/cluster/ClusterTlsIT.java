package dev.mpdiag.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.ChildJvm;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.CollectorLaunch;
import dev.mpdiag.testing.Dirs;
import dev.mpdiag.testing.HotWorker;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.KafkaBroker;
import dev.mpdiag.testing.Recordings;
import dev.mpdiag.testing.TestCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A cluster with TLS everywhere, with a CA the test makes: a real Kafka broker with a TLS listener, two collectors
 * that serve HTTPS, reach Kafka over TLS and ask each other over HTTPS (--tls-ca), and real agents trusting the
 * CA (tls.ca=). Every process is listed by both members with no member unreachable, and the merged flame graph
 * of the service equals the sum of its processes' own; a member given another CA for Kafka stops with one line.
 */
class ClusterTlsIT {
    static final Path OUT = Path.of("target", "it-cluster-tls");
    static final int AGENTS = 4;

    @Test
    void agentsMembersAndKafkaTalkTls() throws Exception {
        Path dir = Dirs.fresh(OUT);
        TestCa ca = TestCa.make(dir.resolve("pki"), "cluster");
        TestCa other = TestCa.make(dir.resolve("pki"), "other");
        List<ChildJvm> children = new ArrayList<>();
        try (KafkaBroker kafka = KafkaBroker.start(Dirs.fresh(dir.resolve("kafka")), ca)) {
            try {
                run(dir, ca, other, kafka, children);
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    private static void run(Path dir, TestCa ca, TestCa other, KafkaBroker kafka, List<ChildJvm> children)
            throws Exception {
        String topic = KafkaBroker.uniqueName("tls-uploads");
        String group = KafkaBroker.uniqueName("tls-collectors");
        int[] ports = {ChildJvm.freePort(), ChildJvm.freePort()};
        for (int i = 0; i < ports.length; i++) {
            children.add(new CollectorLaunch(ports[i], Dirs.fresh(dir.resolve("data-" + i)),
                    dir.resolve("collector-" + i + ".log")).https(ca.trust()).serveOptions(
                    "--cluster", "kafka=" + kafka.tlsBootstrap(), "--cluster-tls", "--tls-ca", ca.caPem.toString(),
                    "--tls-cert", ca.certPem.toString(), "--tls-key", ca.keyPem.toString(),
                    "--cluster-topic", topic, "--cluster-group", group).start());
        }
        List<ChildJvm> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            ChildJvm a = HotWorker.startWithAgent(dir.resolve("agent-" + i + ".log"), "-javaagent:"
                    + Recordings.agentJar() + "=collector=https://127.0.0.1:" + ports[i % 2] + ",service=tls-svc,"
                    + "interval=1s,label.index=" + i + ",tls.ca=" + ca.caPem.toAbsolutePath());
            agents.add(a);
            children.add(a);
        }
        for (ChildJvm a : agents) {
            assertEquals(0, a.waitFor(60), a.output());
            assertTrue(!a.output().contains("failed"), "every upload taken over HTTPS: " + a.output());
        }
        // Each member lists every process (the other's through it over HTTPS), once Kafka has delivered them.
        Set<String> ids = new HashSet<>();
        for (int port : ports) {
            Http http = new Http(port, ca.trust());
            long deadline = System.currentTimeMillis() + 60_000;
            JsonNode body = http.get("/api/v1/processes").json();
            while (count(body) < AGENTS && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                body = http.get("/api/v1/processes").json();
            }
            assertEquals(AGENTS, count(body), body.toString());
            assertEquals(2, body.path("members").asInt(), body.toString());
            assertTrue(body.path("unreachable").isMissingNode(), "the other member answered over HTTPS: " + body);
            body.get("processes").forEach(p -> ids.add(p.get("id").asText()));
        }
        assertEquals(AGENTS, ids.size());
        Http first = new Http(ports[0], ca.trust());
        long sum = 0;
        for (String id : ids) {
            Http.Reply one = first.get("/api/v1/flamegraph?process=" + Http.enc(id));
            assertEquals(200, one.status(), one.text());
            sum += one.json().get("total").asLong();
        }
        assertTrue(sum > 0, "the agents' CPU samples arrived");
        for (int port : ports) {
            Http.Reply merged = new Http(port, ca.trust()).get("/api/v1/flamegraph?service=tls-svc");
            assertEquals(200, merged.status(), merged.text());
            assertEquals(AGENTS, merged.json().get("processes").size(), merged.text());
            assertEquals(sum, merged.json().get("total").asLong(), "merged over HTTPS equals the processes' sum");
        }
        System.out.println("ClusterTlsIT: " + AGENTS + " agents over HTTPS, Kafka over TLS, both members merged "
                + sum + " CPU samples");
        // A member whose --tls-ca is not Kafka's CA does not join: one line, exit 2.
        Cli.Run wrong = Cli.run("serve", "--port", Integer.toString(ChildJvm.freePort()), "--data",
                dir.resolve("data-wrong").toString(), "--cluster", "kafka=" + kafka.tlsBootstrap(), "--cluster-tls",
                "--tls-ca", other.caPem.toString(), "--cluster-topic", topic, "--cluster-group", group);
        assertEquals(2, wrong.exit(), wrong.err());
        assertEquals(1, wrong.err().strip().lines().filter(l -> !l.isBlank()).count(), wrong.err());
        assertTrue(wrong.err().contains("Kafka") && wrong.err().contains("--tls-ca"), wrong.err());
        System.out.println("ClusterTlsIT: a member with another CA said: " + wrong.err().strip());
    }

    private static int count(JsonNode body) {
        return body.path("processes").size();
    }
}
