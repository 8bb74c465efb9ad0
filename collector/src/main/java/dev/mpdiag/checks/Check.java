package dev.mpdiag.checks;

import java.util.List;

/**
 * One diagnosis: what it needs, its thresholds, and a verdict with evidence. Stateless; registered in
 * {@link Checks#ALL}. A per-process check is called once per process; a per-service check once per
 * service with all of that service's processes.
 */
public interface Check {
    String id();

    String title();

    /** The JFR events (or agent events) it reads, for docs and not-applicable reasons. */
    List<String> events();

    List<Threshold> thresholds();

    /** True when the check compares the processes of one service instead of judging each alone. */
    default boolean perService() {
        return false;
    }

    /**
     * Judges one subject: one process, or all processes of a service when {@link #perService()} (the
     * result's subject is then the service, which {@link Checks#run} passes as serviceName).
     */
    CheckResult evaluate(List<ProcessData> subject, Limits limits);
}
