package dev.mpdiag.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return startAll(dir, 1, tls).get(0);
    }

    /**
     * n brokers in one cluster, each also a controller (a quorum of n, so n = 3 outlives one killed), in
     * dir/node-1..n; returns once every one takes connections. Internal topics have min(3, n) replicas.
     */
    public static List<KafkaBroker> startQuorum(Path dir, int n) throws Exception {
        return startAll(dir, n, null);
    }

    private static List<KafkaBroker> startAll(Path dir, int n, TestCa tls) throws Exception {
        int[] ports = new int[n];
        int[] tlsPorts = new int[n];
        int[] controllers = new int[n];
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports[i] = ChildJvm.freePort();
            tlsPorts[i] = tls == null ? -1 : ChildJvm.freePort();
            controllers[i] = ChildJvm.freePort();
            voters.add((i + 1) + "@127.0.0.1:" + controllers[i]);
        }
        String replicas = Integer.toString(Math.min(3, n));
        String minIsr = Integer.toString(Math.max(1, Math.min(3, n) - 1));
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        String classpath = System.getProperty("java.class.path");
        List<String> heap = List.of("-Xmx384m", "-cp", classpath);
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path nodeDir = n == 1 ? dir : Dirs.fresh(dir.resolve("node-" + (i + 1)));
            String ssl = tls == null ? "" : ",SSL://127.0.0.1:" + tlsPorts[i];
            Path logs = Dirs.fresh(nodeDir.resolve("kafka-logs"));
            Path config = nodeDir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + (i + 1),
                    "controller.quorum.voters=" + String.join(",", voters),
                    "listeners=PLAINTEXT://127.0.0.1:" + ports[i] + ",CONTROLLER://127.0.0.1:" + controllers[i] + ssl,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + ports[i] + ssl,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                    tls == null ? "" : "ssl.keystore.type=PKCS12",
                    tls == null ? "" : "ssl.keystore.location=" + tls.serverP12.toAbsolutePath(),
                    tls == null ? "" : "ssl.keystore.password=" + TestCa.PASS,
                    tls == null ? "" : "ssl.key.password=" + TestCa.PASS,
                    "log.dirs=" + logs,
                    // The internal topics cannot have more replicas than there are brokers.
                    "offsets.topic.replication.factor=" + replicas,
                    "transaction.state.log.replication.factor=" + replicas,
                    "transaction.state.log.min.isr=" + minIsr,
                    "share.coordinator.state.topic.replication.factor=" + replicas,
                    "share.coordinator.state.topic.min.isr=" + minIsr,
                    // A test's consumer group forms at once instead of after the default 3 s wait.
                    "group.initial.rebalance.delay.ms=0",
                    "num.partitions=1",
                    ""));
            ChildJvm format = ChildJvm.start(nodeDir.resolve("kafka-format.log"), concat(heap,
                    "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
            int rc = format.waitFor(120);
            if (rc != 0) {
                throw new IllegalStateException("kafka-storage format exited " + rc + ": " + format.output());
            }
            configs.add(config);
        }
        List<KafkaBroker> started = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                // All at once: each waits for a quorum of the controllers before it says it started.
                started.add(new KafkaBroker(ports[i], tlsPorts[i], ChildJvm.start(
                        configs.get(i).resolveSibling("kafka.log"), concat(heap, "kafka.Kafka", configs.get(i).toString()))));
            }
            long deadline = System.currentTimeMillis() + 90_000L * n;
            for (KafkaBroker b : started) {
                b.awaitStarted(deadline);
            }
            return started;
        } catch (Exception | Error e) {
            for (KafkaBroker b : started) {
                b.close();
            }
            throw e;
        }
    }

    private void awaitStarted(long deadline) throws Exception {
        while (System.currentTimeMillis() < deadline) {
            if (!jvm.process.isAlive()) {
                throw new IllegalStateException("kafka exited: " + jvm.output());
            }
            if (listening(port) && jvm.output().contains("Kafka Server started")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("kafka on " + port + " did not start in time: " + jvm.output());
    }

    /** host:port,... of all of them, for bootstrap.servers. */
    public static String bootstrap(List<KafkaBroker> brokers) {
        return String.join(",", brokers.stream().map(KafkaBroker::bootstrap).toList());
    }

    /** kill -9, like a crashed broker. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /** The broker JVM's process id (its CPU time is read from /proc by the soak). */
    public long pid() {
        return jvm.process.pid();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
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
