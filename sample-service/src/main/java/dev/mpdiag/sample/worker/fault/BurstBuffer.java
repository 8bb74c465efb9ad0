package dev.mpdiag.sample.worker.fault;

/** A short-lived scratch buffer, allocated in bursts by the alloc-burst fault. */
final class BurstBuffer {
    final byte[] bytes;

    BurstBuffer(int size, long fill) {
        bytes = new byte[size];
        for (int i = 0; i < size; i += 512) {
            bytes[i] = (byte) (fill + i);
        }
    }
}
