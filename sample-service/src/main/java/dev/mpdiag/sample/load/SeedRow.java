package dev.mpdiag.sample.load;

import java.util.List;

/**
 * One row of the founding table: how the service ran, what the load generator measured, and the CPU each serving
 * process used over the measured window (100 = one core); fromMillis and toMillis are that window's wall clock.
 */
record SeedRow(
        String id,
        String mode,
        List<String> command,
        List<Warmup.Round> warmup,
        LoadResult load,
        List<ProcessShare> cpu,
        double supervisorCpuPercent,
        double machineBusyPercent,
        List<Long> leftoverPids,
        long fromMillis,
        long toMillis) {

    /** A row without its measured window's wall-clock times (tests). */
    SeedRow(String id, String mode, List<String> command, List<Warmup.Round> warmup, LoadResult load,
            List<ProcessShare> cpu, double supervisorCpuPercent, double machineBusyPercent, List<Long> leftoverPids) {
        this(id, mode, command, warmup, load, cpu, supervisorCpuPercent, machineBusyPercent, leftoverPids, 0, 0);
    }

    /** CPU of one serving process over the window. */
    record ProcessShare(String role, long pid, double cpuPercent) {
    }

    int processes() {
        return cpu.size();
    }

    double totalCpuPercent() {
        double sum = 0;
        for (ProcessShare p : cpu) {
            if (!Double.isNaN(p.cpuPercent())) {
                sum += p.cpuPercent();
            }
        }
        return sum;
    }

    /**
     * CPU used on the machine by anything other than the serving processes, the supervisor and the load generator
     * (100 = one core): what a shared machine took away from this row. NaN when not measurable.
     */
    double otherCpuPercent(int cores) {
        double loadgen = load.loadgenCpuPercent();
        if (Double.isNaN(machineBusyPercent) || Double.isNaN(loadgen)) {
            return Double.NaN;
        }
        double supervisor = Double.isNaN(supervisorCpuPercent) ? 0 : supervisorCpuPercent;
        return Math.max(0, machineBusyPercent * cores - totalCpuPercent() - supervisor - loadgen);
    }
}
