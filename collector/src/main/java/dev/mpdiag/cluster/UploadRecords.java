package dev.mpdiag.cluster;

import dev.mpdiag.server.AgentUpload;
import dev.mpdiag.server.store.ProcessIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An agent's upload as a Kafka record: keyed by process id, the JFR bytes as the value, the agent's headers as
 * record headers (so the owner stores exactly what a single collector would have).
 */
final class UploadRecords {
    private UploadRecords() {
    }

    static ProducerRecord<byte[], byte[]> toRecord(String topic, int partition, AgentUpload u) {
        Headers h = new RecordHeaders();
        put(h, "service", u.identity().service());
        put(h, "host", u.identity().host());
        put(h, "pid", Long.toString(u.identity().pid()));
        put(h, "start", Long.toString(u.identity().startMillis()));
        put(h, "seq", Long.toString(u.seq()));
        put(h, "last", Boolean.toString(u.last()));
        put(h, "labels", u.labels());
        put(h, "health", u.health());
        put(h, "interval", Long.toString(u.intervalMillis()));
        put(h, "profile", u.profile());
        put(h, "agent", u.agentVersion());
        ByteBuffer b = u.body();
        byte[] value;
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            value = b.array(); // the body as read: no copy of a 150 KB upload
        } else {
            value = new byte[b.remaining()];
            b.duplicate().get(value);
        }
        return new ProducerRecord<>(topic, partition, u.identity().id().getBytes(StandardCharsets.UTF_8), value, h);
    }

    /** The upload a record carries; IllegalArgumentException when a header is missing or bad. */
    static AgentUpload fromRecord(ConsumerRecord<byte[], byte[]> r) {
        Headers h = r.headers();
        ProcessIdentity id = new ProcessIdentity(get(h, "service"), get(h, "host"), number(h, "pid"), number(h, "start"));
        return new AgentUpload(id, number(h, "seq"), Boolean.parseBoolean(get(h, "last")), get(h, "labels"),
                get(h, "health"), number(h, "interval"), get(h, "profile"), get(h, "agent"), ByteBuffer.wrap(r.value()));
    }

    private static void put(Headers h, String key, String value) {
        if (value != null) {
            h.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String get(Headers h, String key) {
        Header v = h.lastHeader(key);
        return v == null ? null : new String(v.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers h, String key) {
        String v = get(h, key);
        if (v == null) {
            throw new IllegalArgumentException("record has no " + key + " header");
        }
        return Long.parseLong(v);
    }
}
