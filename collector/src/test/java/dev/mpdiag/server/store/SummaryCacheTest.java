package dev.mpdiag.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpdiag.engine.Summary;
import org.junit.jupiter.api.Test;

class SummaryCacheTest {
    @Test
    void chargesEachSummaryItsMeasuredHeapAndEvictsTheLeastRecentlyUsed() {
        int factor = SummaryCache.HEAP_PER_ENCODED_BYTE;
        SummaryCache cache = new SummaryCache(3 * 1000L * factor);
        cache.put("p", 1, new Summary(), 1000);
        cache.put("p", 2, new Summary(), 1000);
        cache.put("p", 3, new Summary(), 1000);
        assertEquals(3 * 1000L * factor, cache.weight(), "three summaries of 1000 encoded bytes fill the budget");
        cache.put("p", 4, new Summary(), 1000);
        assertEquals(3 * 1000L * factor, cache.weight(), "the fourth evicts the oldest");
        cache.evict("p", 1); // already gone: nothing changes
        assertEquals(3 * 1000L * factor, cache.weight());
        cache.evict("p", 4);
        assertEquals(2 * 1000L * factor, cache.weight());
    }
}
