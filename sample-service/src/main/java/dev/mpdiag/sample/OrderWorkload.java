package dev.mpdiag.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A self-contained stand-in for a service's request path: build an order, encode it as JSON, hash it,
 * and record it in a shared inventory guarded by one lock. CPU, allocation and some contention, on
 * several threads, so a recording of it has something to show in every profile.
 */
final class OrderWorkload {
    record Result(long orders, long millis) {
    }

    private final int threads;
    private final Inventory inventory = new Inventory();
    private final AtomicLong orders = new AtomicLong();

    OrderWorkload(int threads) {
        this.threads = threads;
    }

    Result run(long millis) throws InterruptedException {
        long start = System.currentTimeMillis();
        long end = start + millis;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> loop(end), "order-worker-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return new Result(orders.get(), System.currentTimeMillis() - start);
    }

    private void loop(long end) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            while (System.currentTimeMillis() < end) {
                Map<String, Object> order = buildOrder();
                String json = encode(order);
                byte[] digest = sha.digest(json.getBytes(StandardCharsets.UTF_8));
                inventory.reserve(digest[0] & 0x0F, json.length());
                orders.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> buildOrder() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Map<String, Object> order = new HashMap<>();
        order.put("id", r.nextLong());
        order.put("customer", "customer-" + r.nextInt(10_000));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0, n = 5 + r.nextInt(20); i < n; i++) {
            Map<String, Object> line = new HashMap<>();
            line.put("sku", "sku-" + r.nextInt(100_000));
            line.put("qty", 1 + r.nextInt(5));
            line.put("price", r.nextDouble() * 100);
            lines.add(line);
        }
        order.put("lines", lines);
        return order;
    }

    static String encode(Object v) {
        StringBuilder b = new StringBuilder(512);
        encode(v, b);
        return b.toString();
    }

    private static void encode(Object v, StringBuilder b) {
        if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append('"').append(e.getKey()).append("\":");
                encode(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                encode(l.get(i), b);
            }
            b.append(']');
        } else if (v instanceof String s) {
            b.append('"').append(s).append('"');
        } else {
            b.append(v);
        }
    }

    /** Shared stock counts behind one monitor: the workload's contention point. */
    static final class Inventory {
        private final long[] reserved = new long[16];

        synchronized void reserve(int bucket, int amount) {
            reserved[bucket] += amount;
            // Some bookkeeping under the lock, so that holding it takes measurable time.
            long h = 0;
            for (int i = 0; i < 20_000; i++) {
                h += (h << 5) ^ i ^ reserved[i & 15];
            }
            reserved[(int) (h & 15)] ^= 1;
        }
    }
}
