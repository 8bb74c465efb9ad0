package dev.mpdiag.agent;

/** Child-JVM app: spins in {@link #spinLoop} for run=MILLIS, printing feature=N first. */
public final class SpinApp {
    static volatile long sink;

    private SpinApp() {
    }

    public static void main(String[] args) {
        long run = Long.parseLong(args[0].substring("run=".length()));
        System.out.println("feature=" + Runtime.version().feature());
        long end = System.currentTimeMillis() + run;
        while (System.currentTimeMillis() < end) {
            spinLoop();
        }
    }

    static void spinLoop() {
        long x = sink;
        for (int i = 0; i < 100_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }
}
