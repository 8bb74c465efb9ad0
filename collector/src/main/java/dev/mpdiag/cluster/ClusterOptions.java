package dev.mpdiag.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * How a collector joins a cluster ({@code serve --cluster kafka=HOST:PORT,...}): the Kafka brokers, the uploads
 * topic and its partition count (fixed once the topic exists: a process's partition must not move), the consumer
 * group every collector of the cluster shares, and the URL other collectors reach this one at.
 */
public record ClusterOptions(String bootstrap, String topic, int partitions, String group, String advertisedUrl,
        java.nio.file.Path tlsCa, boolean kafkaTls) {
    /** Kafka in plaintext; the other members' HTTPS, if any, checked against the JVM's CAs. */
    public ClusterOptions(String bootstrap, String topic, int partitions, String group, String advertisedUrl) {
        this(bootstrap, topic, partitions, group, advertisedUrl, null, false);
    }

    /** The CA (PEM) the other members' and Kafka's certificates come from, or null: the JVM's CAs. */
    public java.nio.file.Path tlsCa() {
        return tlsCa;
    }

    public static final String DEFAULT_TOPIC = "mpdiag-uploads";
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_GROUP = "mpdiag-collectors";

    /**
     * Parses {@code kafka=HOST:PORT[,HOST:PORT...]}; the brokers' order does not matter. Throws
     * IllegalArgumentException with the reason when it is not that.
     */
    public static String parseBrokers(String spec) {
        if (spec == null || !spec.startsWith("kafka=")) {
            throw new IllegalArgumentException("--cluster must be kafka=HOST:PORT[,HOST:PORT...], got '" + spec + "'");
        }
        List<String> brokers = new ArrayList<>();
        for (String b : spec.substring("kafka=".length()).split(",", -1)) {
            String hostPort = b.trim();
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("--cluster: broker '" + hostPort + "' is not HOST:PORT");
            }
            try {
                int port = Integer.parseInt(hostPort.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cluster: broker '" + hostPort + "' has no port from 1 to 65535");
            }
            brokers.add(hostPort);
        }
        return String.join(",", brokers);
    }

    public ClusterOptions {
        if (partitions < 1) {
            throw new IllegalArgumentException("--cluster-partitions must be at least 1, got " + partitions);
        }
    }

    /** The partition of a process: Kafka's own hash of the key, so it is the one Kafka's partitioner would pick. */
    public static int partitionOf(String processId, int partitions) {
        byte[] key = processId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key))
                % partitions;
    }
}
