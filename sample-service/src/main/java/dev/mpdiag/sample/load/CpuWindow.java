package dev.mpdiag.sample.load;

import java.util.List;

/**
 * Samples the CPU time of a set of processes, and of the whole machine, when the measured window of a load run
 * opens and closes: utime + stime deltas from /proc over the window's wall time.
 */
final class CpuWindow implements WindowObserver {
    private final List<ServiceProcess.Served> processes;
    private final long[] startTicks;
    private final long[] endTicks;
    private long startNanos;
    private long endNanos;
    private long[] machineStart;
    private long[] machineEnd;

    CpuWindow(List<ServiceProcess.Served> processes) {
        this.processes = List.copyOf(processes);
        this.startTicks = new long[processes.size()];
        this.endTicks = new long[processes.size()];
    }

    @Override
    public void windowStarted() {
        machineStart = ProcCpu.machineTicks();
        for (int i = 0; i < startTicks.length; i++) {
            startTicks[i] = ProcCpu.ticks(processes.get(i).pid());
        }
        startNanos = System.nanoTime();
    }

    @Override
    public void windowEnded() {
        endNanos = System.nanoTime();
        for (int i = 0; i < endTicks.length; i++) {
            endTicks[i] = ProcCpu.ticks(processes.get(i).pid());
        }
        machineEnd = ProcCpu.machineTicks();
    }

    List<ServiceProcess.Served> processes() {
        return processes;
    }

    /** CPU of process i over the window, 100 = one core; NaN if it was not there at both ends (it restarted). */
    double percent(int i) {
        if (startTicks[i] < 0 || endTicks[i] < 0) {
            return Double.NaN;
        }
        return ProcCpu.percentOfOneCore(endTicks[i] - startTicks[i], endNanos - startNanos);
    }

    /** Busy share of the whole machine over the window, 100 = every core busy. */
    double machineBusyPercent() {
        if (machineStart == null || machineEnd == null || machineEnd[1] == machineStart[1]) {
            return Double.NaN;
        }
        return 100.0 * (machineEnd[0] - machineStart[0]) / (machineEnd[1] - machineStart[1]);
    }
}
