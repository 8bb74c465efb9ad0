package dev.mpdiag.cluster;

import dev.mpdiag.server.AgentUpload;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.UploadSink;
import dev.mpdiag.server.api.FormFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A cluster collector's sink: the upload goes to the uploads topic, on its process's partition, and is
 * acknowledged to the agent once Kafka has it on every in-sync replica (idempotent producer, acks=all). Which
 * collector then summarizes and stores it is Kafka's choice (the partition's owner, {@link PartitionOwner}).
 */
final class KafkaSink implements UploadSink {
    /** How long an upload may wait for Kafka before the agent is told to retry (it keeps its copy meanwhile). */
    static final long SEND_TIMEOUT_SECONDS = 20;
    /**
     * How long send() itself may block for the topic's metadata when Kafka is away (Kafka's default is 60 s,
     * which would come on top of the send timeout and past the agent's own 10 s HTTP timeout).
     */
    static final long MAX_BLOCK_MILLIS = 5_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;

    KafkaSink(KafkaProducer<byte[], byte[]> producer, String topic, int partitions) {
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public Map<String, Object> accept(AgentUpload u) {
        // Checked before Kafka takes it, so an upload its owner could not read is refused, never acknowledged.
        FormFields.parse(u.labels(), "labels");
        FormFields.parse(u.health(), "health");
        int partition = ClusterOptions.partitionOf(u.identity().id(), partitions);
        RecordMetadata m;
        try {
            m = producer.send(UploadRecords.toRecord(topic, partition, u)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "cluster unavailable", "interrupted while Kafka took the upload");
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            // 503, not 500: the agent keeps the upload and retries it, which is right while Kafka is away.
            throw new ApiException(503, "cluster unavailable", "Kafka did not take the upload: " + cause);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("process", u.identity().id());
        reply.put("seq", u.seq());
        // Durable in the cluster's log: its owner stores it, and drops it there if it is a repeat.
        reply.put("stored", true);
        reply.put("bytes", u.body().remaining());
        reply.put("partition", m.partition());
        reply.put("offset", m.offset());
        return reply;
    }
}
