package dev.mpdiag.cluster;

import dev.mpdiag.server.ClusterView;
import dev.mpdiag.server.Ingestor;
import dev.mpdiag.server.UploadSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * This collector as a member of a cluster: the uploads topic (made on first start), the producer that takes
 * uploads into it, the partition owner that stores this member's share, and the list of the other members (the
 * consumer group's members, each named by the URL it serves at) that queries fan out to.
 */
public final class ClusterNode implements ClusterView, AutoCloseable {
    /** Kafka notices a dead member after this long; its partitions then move (docs/cluster.md). */
    static final int SESSION_TIMEOUT_MILLIS = 6_000;

    public final ClusterOptions options;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final PartitionOwner owner;
    private final int partitions;
    private final KafkaSink sink;

    private ClusterNode(ClusterOptions options, Admin admin, KafkaProducer<byte[], byte[]> producer,
            PartitionOwner owner, int partitions) {
        this.options = options;
        this.admin = admin;
        this.producer = producer;
        this.owner = owner;
        this.partitions = partitions;
        this.sink = new KafkaSink(producer, options.topic(), partitions);
    }

    /**
     * Joins: makes the topic if it is missing (retention as the store's), then starts producing and owning.
     * Throws IllegalStateException with one clear line when Kafka cannot be reached.
     */
    public static ClusterNode join(ClusterOptions options, Ingestor ingestor, Path data, long maxUpload,
            long retentionMillis, long retentionBytes, Consumer<String> log) throws Exception {
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        if (options.kafkaTls()) {
            // TLS to every broker, names checked as HTTPS checks them; trusting only --tls-ca when given.
            common.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
            if (options.tlsCa() != null) {
                common.put("ssl.truststore.type", "PEM");
                common.put("ssl.truststore.location", options.tlsCa().toAbsolutePath().toString());
            }
        }
        Admin admin = Admin.create(common);
        try {
            int partitions = ensureTopic(admin, options, maxUpload, retentionMillis, retentionBytes, log);
            Properties p = new Properties();
            p.putAll(common);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(recordLimit(maxUpload)));
            // JFR chunks are not compressed by JFR; lz4 costs little CPU and shrinks them several times.
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(KafkaSink.SEND_TIMEOUT_SECONDS * 1000));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(KafkaSink.MAX_BLOCK_MILLIS));
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "mpdiag-producer " + options.advertisedUrl());
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer());
            Properties c = new Properties();
            c.putAll(common);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
            // The member's name is the URL it serves at: that is how the others find it to fan a query out.
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, options.advertisedUrl());
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MILLIS));
            c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MILLIS / 3));
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(recordLimit(maxUpload)));
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            Path dir = Files.createDirectories(data.resolve("cluster"));
            PartitionOwner owner = new PartitionOwner(consumer, options.topic(), ingestor,
                    dir.resolve(options.topic() + ".offsets"), log);
            owner.start();
            log.accept("cluster: member of " + options.group() + " on " + options.bootstrap() + ", topic "
                    + options.topic() + " (" + partitions + " partitions), serving as " + options.advertisedUrl());
            return new ClusterNode(options, admin, producer, owner, partitions);
        } catch (Exception e) {
            // At once: a plain close waits up to a minute for the calls that just failed.
            admin.close(java.time.Duration.ZERO);
            throw e;
        }
    }

    /** A record holds one upload: the largest allowed upload plus room for its headers. */
    private static int recordLimit(long maxUpload) {
        return (int) Math.min(Integer.MAX_VALUE, maxUpload + 64 * 1024);
    }

    private static int ensureTopic(Admin admin, ClusterOptions o, long maxUpload, long retentionMillis,
            long retentionBytes, Consumer<String> log) throws Exception {
        int brokers;
        try {
            brokers = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new java.io.IOException("--cluster: no Kafka broker answered at " + o.bootstrap() + " in 15 s");
        } catch (ExecutionException e) {
            String hint = e.getCause() instanceof org.apache.kafka.common.errors.SslAuthenticationException
                    ? (o.tlsCa() != null ? " (is --tls-ca " + o.tlsCa() + " the CA of Kafka's certificate?)"
                            : " (give Kafka's CA with --tls-ca FILE)") : "";
            throw new java.io.IOException("--cluster: Kafka at " + o.bootstrap() + " refused: " + e.getCause().getMessage()
                    + hint);
        }
        short replicas = (short) Math.min(3, brokers);
        NewTopic t = new NewTopic(o.topic(), o.partitions(), replicas).configs(Map.of(
                "retention.ms", Long.toString(retentionMillis),
                // retention.bytes is per partition in Kafka; the store's limit is for all of them
                "retention.bytes", Long.toString(Math.max(1, retentionBytes / o.partitions())),
                "max.message.bytes", Integer.toString(recordLimit(maxUpload)),
                "min.insync.replicas", Integer.toString(Math.max(1, replicas - 1))));
        try {
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            log.accept("cluster: made topic " + o.topic() + " (" + o.partitions() + " partitions, " + replicas
                    + " replicas)");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        TopicDescription d = admin.describeTopics(List.of(o.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(o.topic());
        return d.partitions().size();
    }

    public UploadSink sink() {
        return sink;
    }

    /** True when this member answers for the process now: it owns its partition and has rebuilt it. */
    @Override
    public boolean serves(String processId) {
        return owner.serves(ClusterOptions.partitionOf(processId, partitions));
    }

    /** The URLs of the group's other members, as Kafka knows them now. */
    @Override
    public List<String> peers() throws Exception {
        List<String> urls = new ArrayList<>();
        for (MemberDescription m : group().members()) {
            if (!m.clientId().equals(options.advertisedUrl()) && m.clientId().startsWith("http")) {
                urls.add(m.clientId());
            }
        }
        return urls;
    }

    @Override
    public String ownerOf(String processId) throws Exception {
        if (serves(processId)) {
            return null;
        }
        TopicPartition tp = new TopicPartition(options.topic(), ClusterOptions.partitionOf(processId, partitions));
        for (MemberDescription m : group().members()) {
            if (m.assignment().topicPartitions().contains(tp) && !m.clientId().equals(options.advertisedUrl())) {
                return m.clientId();
            }
        }
        return null;
    }

    /** The group as Kafka describes it, at most a second old: a page of the dashboard asks many times at once. */
    private ConsumerGroupDescription group() throws Exception {
        GroupSnapshot g = lastGroup;
        if (g == null || System.nanoTime() - g.takenNanos > 1_000_000_000L) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(options.group())).all()
                    .get(10, TimeUnit.SECONDS).get(options.group());
            g = new GroupSnapshot(d, System.nanoTime());
            lastGroup = g;
        }
        return g.description;
    }

    private record GroupSnapshot(ConsumerGroupDescription description, long takenNanos) {
    }

    private volatile GroupSnapshot lastGroup;

    @Override
    public Status status() {
        return new Status(owner.owned().size(), owner.replaying(), owner.stored.get(), owner.refused.get());
    }

    @Override
    public void close() throws Exception {
        owner.close();
        producer.close(java.time.Duration.ofSeconds(5));
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
