package dev.mpdiag.agent;

import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A numbered test event the child apps commit at known times, so tests can tell if any went missing. */
@Name(MarkerEvent.NAME)
@Label("Test Marker")
@StackTrace(false)
public final class MarkerEvent extends Event {

    static final String NAME = "mpagenttest.Marker";
    /** The marker a child commits as the last thing before its main returns. */
    static final long LAST = 1_000_000_000L;

    @Label("Number")
    long n;

    static void commit(long n) {
        MarkerEvent e = new MarkerEvent();
        e.n = n;
        e.commit();
    }
}
