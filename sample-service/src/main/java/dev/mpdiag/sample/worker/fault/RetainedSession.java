package dev.mpdiag.sample.worker.fault;

/** Per-request state the heap-leak fault keeps forever in {@link HeapLeakFault}'s session map. */
final class RetainedSession {
    final long id;
    final String user;
    final long createdMillis;
    final byte[] state;

    RetainedSession(long id, int stateBytes) {
        this.id = id;
        this.user = "user-" + id;
        this.createdMillis = System.currentTimeMillis();
        this.state = new byte[stateBytes];
        this.state[0] = (byte) id;
    }
}
