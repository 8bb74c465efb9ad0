package dev.mpdiag.sample.worker.fault;

import dev.mpdiag.sample.worker.api.DocumentWork;

/**
 * The worker with index k does {@value #DOCUMENTS_PER_INDEX} x k extra documents of work per request; worker 0 is
 * unaffected. Enough that worker 1 spends about three times worker 0's CPU per request, so it stands out at a
 * modest fixed rate as well as at saturation.
 */
final class SlowWorkerFault implements Fault {
    static final int DOCUMENTS_PER_INDEX = 8;

    private final int workerIndex;
    @SuppressWarnings("unused")
    private volatile String sink;

    SlowWorkerFault(int workerIndex) {
        this.workerIndex = workerIndex;
    }

    @Override
    public String name() {
        return "slow-worker";
    }

    @Override
    public String description() {
        return "Process imbalance: worker k spends 8 x k documents of extra CPU per request in "
                + "SlowWorkerFault.onRequest (DocumentWork.run), so its CPU per request, latency and CPU share grow "
                + "with its index while worker 0 looks normal; the kernel still gives it a similar share of connections.";
    }

    @Override
    public void onRequest(long seq) {
        for (int i = 0; i < workerIndex * DOCUMENTS_PER_INDEX; i++) {
            sink = DocumentWork.run(seq + i, DocumentWork.DEFAULT_ITEMS).sha256();
        }
    }
}
