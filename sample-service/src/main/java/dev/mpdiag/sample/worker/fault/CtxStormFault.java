package dev.mpdiag.sample.worker.fault;

import java.util.concurrent.SynchronousQueue;

/**
 * Every request hands {@value #HANDOFFS} small work items, one at a time, to a pool of {@value #RELAYS}
 * relay threads through a SynchronousQueue and waits for each answer: two thread switches per item.
 */
final class CtxStormFault implements Fault {
    static final int RELAYS = 16;
    static final int HANDOFFS = 32;

    /** One work item; the relay answers on the requester's own queue. */
    private record Baton(long value, SynchronousQueue<Long> reply) {
    }

    private final SynchronousQueue<Baton> inbox = new SynchronousQueue<>(true);
    private boolean started;

    @Override
    public String name() {
        return "ctx-storm";
    }

    @Override
    public String description() {
        return "A context-switch storm: voluntary context switches per second and per request jump (about 64 per "
                + "request), spread over 16 threads named ctx-relay-<n> parked in SynchronousQueue.take and "
                + "CtxStormFault.relay, with little CPU work done per switch.";
    }

    @Override
    public void onRequest(long seq) throws InterruptedException {
        startRelays();
        SynchronousQueue<Long> reply = new SynchronousQueue<>();
        long value = seq;
        for (int i = 0; i < HANDOFFS; i++) {
            inbox.put(new Baton(value, reply));
            value = reply.take();
        }
    }

    private synchronized void startRelays() {
        if (started) {
            return;
        }
        started = true;
        for (int i = 0; i < RELAYS; i++) {
            Thread t = new Thread(this::relay, "ctx-relay-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private void relay() {
        try {
            while (true) {
                Baton b = inbox.take();
                // A few nanoseconds of work per hand-off: the switches are the cost, not the work.
                b.reply().put(b.value() * 0x9E3779B97F4A7C15L + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
