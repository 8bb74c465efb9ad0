package dev.mpdiag.sample.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DocumentWorkTest {
    @Test
    void sameSeedSameHashOtherSeedOtherHash() {
        DocumentWork.Digest a = DocumentWork.run(42, DocumentWork.DEFAULT_ITEMS);
        assertEquals(a, DocumentWork.run(42, DocumentWork.DEFAULT_ITEMS));
        assertNotEquals(a.sha256(), DocumentWork.run(43, DocumentWork.DEFAULT_ITEMS).sha256());
        assertTrue(a.sha256().matches("[0-9a-f]{64}"), a.sha256());
    }

    @Test
    void documentGrowsWithItems() {
        int small = DocumentWork.run(1, 10).bytes();
        int large = DocumentWork.run(1, 1000).bytes();
        assertTrue(small > 10 * 50 && large > 50 * small, small + " vs " + large);
    }

    @Test
    void ordersArePricedDeterministically() {
        OrderWork.Priced p = OrderWork.run(7);
        assertEquals(p, OrderWork.run(7));
        assertTrue(p.lines() >= 5 && p.lines() < 30 && p.totalCents() > 0, p.toString());
    }
}
