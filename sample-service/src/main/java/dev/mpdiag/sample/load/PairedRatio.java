package dev.mpdiag.sample.load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The median of paired ratios (candidate over baseline, one pair per round) with a 95% percentile-bootstrap interval
 * of that median. Pairs, not the two sides' medians: a round's machine state (a noisy neighbour, the CPU's clock)
 * touches both windows of a pair alike and cancels in their ratio. The resampling is seeded, so a rerun on the same
 * figures prints the same interval.
 */
public record PairedRatio(int pairs, double median, double low, double high, double[] ratios) {

    static final int RESAMPLES = 10_000;
    static final long SEED = 20261203L;

    /** {@code candidate[i] / baseline[i]} for each pair whose baseline is above zero. */
    public static PairedRatio of(double[] candidate, double[] baseline) {
        if (candidate.length != baseline.length) {
            throw new IllegalArgumentException(candidate.length + " candidates for " + baseline.length + " baselines");
        }
        double[] r = new double[candidate.length];
        int n = 0;
        for (int i = 0; i < candidate.length; i++) {
            if (baseline[i] > 0 && !Double.isNaN(candidate[i])) {
                r[n++] = candidate[i] / baseline[i];
            }
        }
        r = Arrays.copyOf(r, n);
        if (n == 0) {
            return new PairedRatio(0, Double.NaN, Double.NaN, Double.NaN, r);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[n];
        for (int k = 0; k < RESAMPLES; k++) {
            for (int i = 0; i < n; i++) {
                sample[i] = r[random.nextInt(n)];
            }
            medians[k] = median(sample);
        }
        Arrays.sort(medians);
        return new PairedRatio(n, median(r.clone()), medians[(int) (0.025 * (RESAMPLES - 1))],
                medians[(int) Math.ceil(0.975 * (RESAMPLES - 1))], r);
    }

    /** The median, NaN of nothing; sorts {@code v} in place. */
    static double median(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Whether the whole interval is at or under {@code target}: the target is met beyond this run's noise. */
    public boolean within(double target) {
        return pairs > 0 && high <= target;
    }
}
