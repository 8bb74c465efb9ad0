package dev.mpdiag.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A real Kafka broker for tests: {@code kafka_2.13} from the test classpath, one node in KRaft mode (broker and
 * controller in one JVM) on loopback ports, its log in a folder the test owns. A child JVM, so a test can kill it
 * like a crash; always stopped by the test's cleanup.
 */
public final class KafkaBroker implements AutoCloseable {
    public final int port;
    private final ChildJvm jvm;
    private final int tlsPort;

    private KafkaBroker(int port, int tlsPort, ChildJvm jvm) {
        this.port = port;
        this.tlsPort = tlsPort;
        this.jvm = jvm;
    }

    /** host:port, for bootstrap.servers. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** host:port of the TLS listener, for clients with security.protocol=SSL. */
    public String tlsBootstrap() {
        return "127.0.0.1:" + tlsPort;
    }

    /** Formats a fresh log folder under dir and starts the broker; returns once it takes connections (90 s at most). */
    public static KafkaBroker start(Path dir) throws Exception {
        return start(dir, null);
    }

    /** As {@link #start(Path)}, with a TLS listener too when tls is given, its certificate from that CA. */
    public static KafkaBroker start(Path dir, TestCa tls) throws Exception {
        int port = ChildJvm.freePort();
        int tlsPort = tls == null ? -1 : ChildJvm.freePort();
        String ssl = tls == null ? "" : ",SSL://127.0.0.1:" + tlsPort;
        int controller = ChildJvm.freePort();
        Path logs = Dirs.fresh(dir.resolve("kafka-logs"));
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller + ssl,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ssl,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                tls == null ? "" : "ssl.keystore.type=PKCS12",
                tls == null ? "" : "ssl.keystore.location=" + tls.serverP12.toAbsolutePath(),
                tls == null ? "" : "ssl.keystore.password=" + TestCa.PASS,
                tls == null ? "" : "ssl.key.password=" + TestCa.PASS,
                "log.dirs=" + logs,
                // One node: the internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // A test's consumer group forms at once instead of after the default 3 s wait.
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=1",
                "") );
        String classpath = System.getProperty("java.class.path");
        List<String> heap = List.of("-Xmx384m", "-cp", classpath);
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        ChildJvm format = ChildJvm.start(dir.resolve("kafka-format.log"), concat(heap, "kafka.tools.StorageTool",
                "format", "-t", clusterId, "-c", config.toString()));
        int rc = format.waitFor(120);
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format exited " + rc + ": " + format.output());
        }
        ChildJvm broker = ChildJvm.start(dir.resolve("kafka.log"), concat(heap, "kafka.Kafka", config.toString()));
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!broker.process.isAlive()) {
                throw new IllegalStateException("kafka exited: " + broker.output());
            }
            if (listening(port) && broker.output().contains("Kafka Server started")) {
                return new KafkaBroker(port, tlsPort, broker);
            }
            Thread.sleep(200);
        }
        broker.close();
        throw new IllegalStateException("kafka did not start in 90 s: " + broker.output());
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String output() throws IOException {
        return jvm.output();
    }

    @Override
    public void close() throws InterruptedException {
        jvm.stop();
    }

    /** A name no other test run uses, for a topic or a group. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
