package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The target sentence names the cause the numbers show, and only that. */
class SeedTableVerdictTest {
    private static SeedRow row(String id, double qps, double loadgenCpu, double machineBusy, double... workerCpu) {
        LoadResult load = new LoadResult("wrk", (long) (qps * 20), 20, qps, 10, 9, 12, 20, 30, 0, 0, Map.of(), Map.of(),
                loadgenCpu);
        List<SeedRow.ProcessShare> cpu = new ArrayList<>();
        for (int i = 0; i < workerCpu.length; i++) {
            cpu.add(new SeedRow.ProcessShare("worker " + i, 1000 + i, workerCpu[i]));
        }
        return new SeedRow(id, "mode", List.of(), List.of(), load, cpu, 0, machineBusy, List.of());
    }

    @Test
    void met() {
        SeedRow a = row("a", 1000, 40, 70, 99);
        SeedRow b = row("b", 1900, 45, 100, 98, 97);
        String v = SeedTable.verdict(a, b, 2, 4, 0.95, true);
        assertTrue(v.endsWith(": met."), v);
        assertTrue(v.contains("= 0.95"), v);
    }

    @Test
    void blamesTheLoadGeneratorWhenItTakesTheWorkersCores() {
        // 2 cores: two workers at 100% each would leave nothing for a load generator that needs 60%.
        SeedRow a = row("a", 1000, 40, 70, 99);
        SeedRow b = row("b", 1400, 60, 100, 70, 70);
        String v = SeedTable.verdict(a, b, 2, 2, 0.7, false);
        assertTrue(v.contains("not met"), v);
        assertTrue(v.contains("load generator needs CPU of its own"), v);
        assertFalse(v.contains("other processes"), v);
    }

    @Test
    void blamesOtherProcessesWhenTheLoadGeneratorIsLight() {
        // Machine fully busy (200% of one core), workers 50%, load generator 1%: someone else took ~149%.
        SeedRow a = row("a", 100, 1, 99, 87);
        SeedRow b = row("b", 117, 1, 100, 31, 19);
        String v = SeedTable.verdict(a, b, 2, 2, 0.58, false);
        assertFalse(v.contains("load generator needs CPU"), v);
        assertTrue(v.contains("other processes on the machine took 149% of a core"), v);
        String note = SeedTable.sharedMachineNote(List.of(a, b), 2);
        assertTrue(note.contains("in row (a)") && note.contains("in row (b)"), note);
    }

    @Test
    void saysWhenWorkersGotTheirCpuButRequestsCostMore() {
        // 4 cores: machine busy is exactly workers plus load generator, nobody else ran.
        SeedRow a = row("a", 1000, 20, 30, 100);
        SeedRow b = row("b", 1500, 20, 55, 100, 100);
        String v = SeedTable.verdict(a, b, 2, 4, 0.75, false);
        assertTrue(v.contains("1000 requests per CPU-second in row (a), 750 in row (b)"), v);
        assertEquals("", SeedTable.sharedMachineNote(List.of(a, b), 4));
        assertFalse(v.contains("left"), v);
    }

    @Test
    void pointsAtTheIdleCoreRowAHadAndRowBDidNot() {
        // 2 cores: row (a) 58% busy (worker 100, load generator 13), row (b) 100% busy (workers 93 + 93, wrk 11).
        SeedRow a = row("a", 3621, 13, 58, 100);
        SeedRow b = row("b", 5361, 11, 100, 93, 93);
        String v = SeedTable.verdict(a, b, 2, 2, 0.74, false);
        assertTrue(v.contains("Row (a) left 84% of a core idle"), v);
        assertTrue(v.contains("row (b) left 0%"), v);
    }
}
