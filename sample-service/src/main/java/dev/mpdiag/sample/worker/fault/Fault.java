package dev.mpdiag.sample.worker.fault;

/**
 * A planted fault: a named misbehaviour of the sample service that acts on each request while it is
 * switched on. Whether it is on is kept by {@link FaultSwitchboard}, not by the fault.
 */
public interface Fault {
    /** The name used on the command line, the admin API and the control protocol. */
    String name();

    /** What a good diagnosis of a run with this fault on should find. */
    String description();

    /** Runs on the request's thread, while the fault is on; {@code seq} numbers the worker's requests from 1. */
    void onRequest(long seq) throws Exception;
}
