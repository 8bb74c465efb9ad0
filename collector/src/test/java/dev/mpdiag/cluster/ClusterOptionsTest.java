package dev.mpdiag.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
    @Test
    void brokersAreHostPortPairsAfterKafkaEquals() {
        assertEquals("127.0.0.1:9092", ClusterOptions.parseBrokers("kafka=127.0.0.1:9092"));
        assertEquals("a:1,b.example:9093,[::1]:9094", ClusterOptions.parseBrokers("kafka=a:1, b.example:9093,[::1]:9094"));
    }

    @Test
    void aBadSpecSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parseBrokers("127.0.0.1:9092"))
                .getMessage().contains("kafka=HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parseBrokers("kafka=host"))
                .getMessage().contains("'host' is not HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parseBrokers("kafka=host:99999"))
                .getMessage().contains("no port from 1 to 65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterOptions.parseBrokers("kafka=a:1,"))
                .getMessage().contains("not HOST:PORT"));
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions("a:1", "t", 0, "g", "http://x:1"));
    }

    /** The partition we pick is the one Kafka's own partitioner picks for the key, so tools reading it agree. */
    @Test
    void aProcessGoesToThePartitionKafkasPartitionerWouldPick() {
        for (int i = 0; i < 500; i++) {
            String id = "svc-" + (i % 7) + "/host" + i + "/" + (1000 + i) + "/" + (1_700_000_000_000L + i);
            for (int n : new int[] {1, 3, 12, 64}) {
                int ours = ClusterOptions.partitionOf(id, n);
                assertEquals(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), n), ours, id);
                assertTrue(ours >= 0 && ours < n);
            }
        }
    }
}
