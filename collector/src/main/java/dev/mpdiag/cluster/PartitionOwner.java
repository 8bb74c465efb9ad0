package dev.mpdiag.cluster;

import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.Ingestor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The partitions Kafka gave this collector, and the thread that stores their uploads. On each assignment a
 * partition is read from where this collector's own store left off (offsets kept in its data folder), or from the
 * topic's start when it never owned it: that replay is how a partition moved from a dead collector is rebuilt.
 * A repeat (a replay, or an agent's retry) is dropped by the store's sequence check, so replaying is always safe
 * and Kafka's committed offsets are not needed.
 */
final class PartitionOwner implements Runnable, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Ingestor ingestor;
    private final Path offsetsFile;
    private final Consumer<String> log;
    private final Properties offsets = new Properties();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Partitions assigned but not yet read up to their end as it was at assignment: their data is still coming. */
    private final Set<Integer> catchingUp = ConcurrentHashMap.newKeySet();
    private final java.util.Map<Integer, Long> catchUpTo = new ConcurrentHashMap<>();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private volatile boolean stopping;
    private final Thread thread;

    PartitionOwner(KafkaConsumer<byte[], byte[]> consumer, String topic, Ingestor ingestor, Path offsetsFile,
            Consumer<String> log) throws IOException {
        this.consumer = consumer;
        this.topic = topic;
        this.ingestor = ingestor;
        this.offsetsFile = offsetsFile;
        this.log = log;
        if (Files.exists(offsetsFile)) {
            try (InputStream in = Files.newInputStream(offsetsFile)) {
                offsets.load(in);
            }
        }
        thread = new Thread(this, "mpdiag-cluster-owner");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True when this collector owns the partition now and has read it up to where it stood when assigned. */
    boolean serves(int partition) {
        return owned.contains(partition) && !catchingUp.contains(partition);
    }

    Set<Integer> owned() {
        return Set.copyOf(owned);
    }

    int replaying() {
        return catchingUp.size();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                    for (TopicPartition tp : parts) {
                        owned.remove(tp.partition());
                        catchingUp.remove(tp.partition());
                    }
                    saveOffsets();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                    java.util.Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
                    for (TopicPartition tp : parts) {
                        long next = Long.parseLong(offsets.getProperty(key(tp.partition()), "0"));
                        consumer.seek(tp, next);
                        long end = ends.getOrDefault(tp, 0L);
                        if (next < end) {
                            catchingUp.add(tp.partition());
                            catchUpTo.put(tp.partition(), end);
                        }
                        owned.add(tp.partition());
                    }
                    if (!parts.isEmpty()) {
                        log.accept("cluster: owns partitions " + owned() + " of " + topic
                                + (catchingUp.isEmpty() ? "" : ", replaying " + catchingUp));
                    }
                }
            });
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    store(r);
                    offsets.setProperty(key(r.partition()), Long.toString(r.offset() + 1));
                    Long to = catchUpTo.get(r.partition());
                    if (to != null && r.offset() + 1 >= to) {
                        catchUpTo.remove(r.partition());
                        catchingUp.remove(r.partition());
                        log.accept("cluster: partition " + r.partition() + " rebuilt up to offset " + to);
                    }
                }
                if (!records.isEmpty()) {
                    saveOffsets();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.accept("cluster: the partition owner stopped: " + e);
        } finally {
            saveOffsets();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void store(ConsumerRecord<byte[], byte[]> r) {
        try {
            ingestor.ingest(UploadRecords.fromRecord(r));
            stored.incrementAndGet();
        } catch (ApiException | IllegalArgumentException e) {
            // The ingest endpoint checked it before Kafka took it, so only a record written by something else
            // lands here: skipped, with a line, rather than blocking the partition for ever.
            refused.incrementAndGet();
            log.accept("cluster: skipped record " + r.partition() + "@" + r.offset() + ": " + e.getMessage());
        } catch (IOException e) {
            // The local disk failed: stop owning rather than skip data; Kafka gives the partitions to another.
            throw new java.io.UncheckedIOException("could not store record " + r.partition() + "@" + r.offset(), e);
        }
    }

    private static String key(int partition) {
        return "partition." + partition;
    }

    /** Where each partition was read up to; not fsynced: a lost update only means a replay, which is safe. */
    private synchronized void saveOffsets() {
        try {
            Path tmp = offsetsFile.resolveSibling(offsetsFile.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                offsets.store(out, "next offset to read of each partition of " + topic);
            }
            Files.move(tmp, offsetsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.accept("cluster: could not save " + offsetsFile + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
