package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's rows from windows whose figures the test sets: ratios, targets and verdicts. */
class CostReportTest {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @Test
    void rowsPairEachRoundWithOffAndHoldDefaultToItsTargets() {
        List<CostConfig> configs = List.of(CostConfig.parse("off", JAVA_HOME), CostConfig.parse("off2", JAVA_HOME),
                CostConfig.parse("default", JAVA_HOME), CostConfig.parse("default@500", JAVA_HOME));
        int rounds = 10;
        List<CostWindow> windows = new ArrayList<>();
        long perRequest = ProcCpu.TICKS_PER_SECOND; // ticks per 1,000 requests, so us/request = 1000
        for (int r = 0; r < rounds; r++) {
            // Round r's machine is (1 + r/10) slower for everyone: pairs cancel it.
            double slow = 1 + r / 10.0;
            windows.add(window("off", r, 1000, Math.round(perRequest * slow), 2.0 * slow));
            windows.add(window("off2", r, 1000, Math.round(perRequest * slow), 2.0 * slow));
            windows.add(window("default", r, 1000, Math.round(perRequest * slow * 1.005), 2.0 * slow * 1.03));
            windows.add(window("default@500", r, 1000, Math.round(perRequest * slow * 1.05), 2.0 * slow));
        }
        CostBench.Options o = new CostBench.Options(Path.of("java"), Path.of("s.jar"), Path.of("a.jar"),
                Path.of("c.jar"), configs, rounds, Duration.ofSeconds(20), Duration.ofSeconds(10),
                Duration.ofSeconds(60), 32, "/api/orders", "1", "0", "512m", 0.5, Path.of("out"));
        CostBench.Result result = new CostBench.Result(o, 2000, 1000, 2, windows, "test machine", 0, 1);
        List<CostReport.Row> rows = CostReport.rows(result);
        assertEquals(List.of("off2", "default", "default@500"), rows.stream().map(CostReport.Row::config).toList());

        CostReport.Row noise = rows.get(0);
        assertEquals(1.0, noise.cpu().median(), 1e-3);
        CostReport.Row def = rows.get(1);
        assertEquals(1.005, def.cpu().median(), 2e-3);
        assertEquals(1.03, def.p99().median(), 1e-6);
        assertEquals("CPU/request <= 1.01x met; p99 <= 1.05x met", def.verdict());
        CostReport.Row fault = rows.get(2);
        assertEquals(1.05, fault.cpu().median(), 2e-3);
        assertEquals("CPU/request <= 1.02x missed", fault.verdict());
        assertEquals(1.0, def.heldRate(), 1e-9);

        String md = CostReport.markdown(result, rows, "bench cost");
        assertTrue(md.contains("| default | " + CostReport.cell(def.cpu()) + " | "), md);
        assertTrue(md.contains("noise floor"), md);
    }

    private static CostWindow window(String config, int round, long requests, long ticks, double p99) {
        return new CostWindow(config, round, true, 50, requests, 20, ticks, 10, p99 / 2, p99, p99 * 2, 0);
    }
}
