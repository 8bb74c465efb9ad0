package dev.mpdiag.agent;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * What recording and streaming cost this process over one cut interval, written by the cutter just before it
 * cuts, so every upload and every file carries it.
 */
@Name(AgentCostEvent.NAME)
@Label("Agent Cost")
@Category({"mpdiag"})
@Description("CPU time of mpagent's threads and of JFR's own threads (recorder, periodic tasks, sampler) over"
        + " the interval, as a share of the whole process's CPU time in it, and the bytes shipped per second."
        + " The cost of events written inside the application's threads is not in it; bench/agent-overhead.sh"
        + " measures the whole cost per request.")
@StackTrace(false)
public final class AgentCostEvent extends Event {

    static final String NAME = "mpdiag.AgentCost";

    @Label("CPU Share")
    @Description("(agent threads' + JFR threads' CPU) / the process's CPU over the interval; -1 when the process"
            + " used no CPU")
    @Percentage
    double cpuShare;

    @Label("Agent Threads' CPU")
    @Description("CPU time of the mpagent-* threads over the interval")
    @Timespan(Timespan.NANOSECONDS)
    long agentCpu;

    @Label("JFR Threads' CPU")
    @Description("CPU time of the JFR threads (their names begin with \"JFR \") over the interval")
    @Timespan(Timespan.NANOSECONDS)
    long jfrCpu;

    @Label("Process CPU")
    @Description("CPU time of the whole process over the interval")
    @Timespan(Timespan.NANOSECONDS)
    long processCpu;

    @Label("Interval")
    @Timespan(Timespan.NANOSECONDS)
    long interval;

    @Label("Shipped per Second")
    @Description("Bytes the collector acknowledged over the interval, per second")
    @DataAmount(DataAmount.BYTES)
    long shippedPerSecond;
}
