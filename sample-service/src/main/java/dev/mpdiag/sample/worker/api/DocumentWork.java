package dev.mpdiag.sample.worker.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CPU-bound unit of the sample service: generate a document of {@code items} entries from a seed,
 * encode it to JSON and SHA-256 it. The same seed and size always give the same hash.
 */
public final class DocumentWork {
    /** Items in a default document: about 0.3-0.6 ms of CPU on one core of a current machine. */
    public static final int DEFAULT_ITEMS = 120;
    public static final int MAX_ITEMS = 20_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CATEGORIES = {"books", "garden", "kitchen", "tools", "toys", "audio", "sports"};

    private DocumentWork() {
    }

    /** The outcome of one document: its size in items and JSON bytes, and the hex SHA-256 of the JSON. */
    public record Digest(int items, int bytes, String sha256) {
    }

    public static Digest run(long seed, int items) {
        byte[] json = encode(generate(seed, items));
        return new Digest(items, json.length, HexFormat.of().formatHex(sha256(json)));
    }

    static Map<String, Object> generate(long seed, int items) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", seed);
        doc.put("kind", "catalogue-page");
        List<Map<String, Object>> entries = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("sku", "sku-" + Long.toHexString(random.nextLong(1L << 40)));
            e.put("title", "Item " + i + " of page " + seed);
            e.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
            e.put("price", Math.round(random.nextDouble(1, 500) * 100) / 100.0);
            e.put("stock", random.nextInt(1000));
            e.put("tags", List.of("t" + random.nextInt(50), "t" + random.nextInt(50)));
            entries.add(e);
        }
        doc.put("entries", entries);
        return doc;
    }

    static byte[] encode(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a generated document", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
