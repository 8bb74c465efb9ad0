package dev.mpdiag.agent;

import java.util.Map;
import jdk.jfr.FlightRecorder;

/** JFR periodic hook that samples /proc once per period into one mpdiag.ProcessResources event. */
final class ProcessResourcesHook implements Runnable {

    // After a failure, skip 1, 2, 4 ... periods (at most about a minute at the 1 s default) so a broken
    // sampler neither spins nor floods the host's stderr.
    private static final int MAX_BACKOFF_PERIODS = 64;

    // Context switches (a status file per thread) and path patterns (a string per descriptor) are most of a
    // sample's cost, so they are read on every fifth sample only: a full sample every 5 s at the 1 s default.
    static final int FULL_EVERY = 5;
    static final int TOP_PATTERNS = 5;

    private static ProcessResourcesHook registered;
    private int runs;

    private final ProcResourceReader reader = new ProcResourceReader();
    private int backoff;
    private int skip;

    /**
     * Registers the periodic event once per class loader; returns false without registering when /proc
     * is absent. Throws whatever JFR throws (for example when the jdk.jfr module is missing); the caller
     * decides how to survive that.
     */
    static synchronized boolean register() {
        if (registered != null) {
            return true; // premain and a later agentmain must not emit every event twice
        }
        ProcessResourcesHook hook = new ProcessResourcesHook();
        if (!hook.reader.available()) {
            return false;
        }
        FlightRecorder.addPeriodicEvent(ProcessResourcesEvent.class, hook);
        registered = hook;
        return true;
    }

    @Override
    public void run() {
        if (skip > 0) {
            skip--;
            return;
        }
        try {
            ProcessResourcesEvent event = new ProcessResourcesEvent();
            if (!event.isEnabled()) {
                return;
            }
            boolean full = runs++ % FULL_EVERY == 0;
            if (!reader.sample(full)) {
                return;
            }
            event.fdTotal = reader.fdTotal();
            event.fdFile = reader.fdFile();
            event.fdSocket = reader.fdSocket();
            event.fdPipe = reader.fdPipe();
            event.fdOther = reader.fdOther();
            event.threads = reader.threads();
            event.ctxVoluntary = reader.ctxVoluntary();
            event.ctxInvoluntary = reader.ctxInvoluntary();
            event.rssBytes = reader.rssBytes();
            event.fdLimit = reader.fdLimit();
            event.commit();
            if (full && new FdPathPatternEvent().isEnabled()) {
                for (Map.Entry<String, Long> p : reader.patterns().top(TOP_PATTERNS)) {
                    FdPathPatternEvent e = new FdPathPatternEvent();
                    e.pattern = p.getKey();
                    e.count = p.getValue();
                    e.commit();
                }
            }
            backoff = 0;
        } catch (Throwable t) {
            // Runs on JFR's periodic thread inside the host JVM: nothing may escape from here.
            backoff = backoff == 0 ? 1 : Math.min(backoff * 2, MAX_BACKOFF_PERIODS);
            skip = backoff;
            try {
                System.err.println("mpagent: mpdiag.ProcessResources sample failed (" + t
                        + "); skipping " + backoff + " period(s)");
            } catch (Throwable ignored) {
                // even logging can fail (closed stderr, out of memory); carry on silently
            }
        }
    }
}
