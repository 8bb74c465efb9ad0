package dev.mpdiag.sample.worker.fault;

/** Every request allocates a burst of short-lived buffers, a few megabytes, and drops them. */
final class AllocBurstFault implements Fault {
    static final int BUFFER_BYTES = 64 * 1024;
    static final int BUFFERS_PER_REQUEST = 48;

    @SuppressWarnings("unused")
    private volatile long sink;

    @Override
    public String name() {
        return "alloc-burst";
    }

    @Override
    public String description() {
        return "An allocation hotspot: about 3 MB per request of byte[] inside "
                + "dev.mpdiag.sample.worker.fault.BurstBuffer allocated in AllocBurstFault.onRequest, a much higher "
                + "allocation rate and young GC frequency than without it, but no growth of the live set after GC.";
    }

    @Override
    public void onRequest(long seq) {
        BurstBuffer[] burst = new BurstBuffer[BUFFERS_PER_REQUEST];
        long sum = 0;
        for (int i = 0; i < burst.length; i++) {
            burst[i] = new BurstBuffer(BUFFER_BYTES, seq + i);
            sum += burst[i].bytes[i * 512];
        }
        sink = sum;
    }
}
