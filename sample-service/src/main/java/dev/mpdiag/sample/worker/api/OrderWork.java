package dev.mpdiag.sample.worker.api;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A realistic request of the sample service: build an order with lines, price it (discounts, tax,
 * shipping), check it against a small generated catalogue page, encode it and hash it for an
 * idempotency key. A mix of CPU, allocation and JSON.
 */
public final class OrderWork {
    private static final double TAX_RATE = 0.2;
    private static final int CATALOGUE_ITEMS = 40;

    private OrderWork() {
    }

    /** The priced order as the endpoint returns it. */
    public record Priced(long orderId, int lines, long totalCents, String idempotencyKey, String catalogueSha256) {
    }

    public static Priced run(long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        List<Map<String, Object>> lines = new ArrayList<>();
        long subtotal = 0;
        for (int i = 0, n = 5 + random.nextInt(25); i < n; i++) {
            int qty = 1 + random.nextInt(5);
            long unit = 99 + random.nextInt(20_000);
            long discount = qty >= 3 ? unit * qty / 10 : 0;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", "sku-" + random.nextInt(100_000));
            line.put("qty", qty);
            line.put("unitCents", unit);
            line.put("discountCents", discount);
            lines.add(line);
            subtotal += unit * qty - discount;
        }
        long tax = Math.round(subtotal * TAX_RATE);
        long shipping = subtotal > 10_000 ? 0 : 499;
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", seed);
        order.put("customer", Map.of("id", "c-" + random.nextInt(50_000), "tier", random.nextBoolean() ? "gold" : "basic"));
        order.put("lines", lines);
        order.put("subtotalCents", subtotal);
        order.put("taxCents", tax);
        order.put("shippingCents", shipping);
        byte[] json = DocumentWork.encode(order);
        String key = HexFormat.of().formatHex(DocumentWork.sha256(json));
        // Availability check against a catalogue page: the CPU-heavy part of the request.
        DocumentWork.Digest catalogue = DocumentWork.run(seed % 1000, CATALOGUE_ITEMS);
        return new Priced(seed, lines.size(), subtotal + tax + shipping, key, catalogue.sha256());
    }
}
