package dev.mpdiag.sample.supervisor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuListTest {
    @Test
    void parsesTheKernelListSyntax() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, CpuList.parse("0-3,8,10-11\n"));
        assertArrayEquals(new int[] {5}, CpuList.parse(" 5"));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(NumberFormatException.class, () -> CpuList.parse("a-b"));
    }

    @Test
    void thisProcessMayRunSomewhere() {
        assertTrue(CpuList.allowedCpus().length >= 1);
    }
}
