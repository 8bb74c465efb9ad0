package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JitActivityTest {
    @Test
    void readsThisJvmsCompileTimeAndItOnlyGrows() throws Exception {
        JitActivity jit = JitActivity.beside(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertNotNull(jit, "jstat missing beside java: tests run on a full JDK");
        long pid = ProcessHandle.current().pid();
        double before = jit.compileSeconds(pid);
        assertTrue(before > 0, "a JVM running JUnit has compiled methods: " + before);
        long sum = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sum += Long.toString(i).hashCode();
        }
        double after = jit.compileSeconds(pid);
        assertTrue(after >= before, before + " -> " + after + " (" + sum + ")");
    }

    @Test
    void unreadableForAProcessThatIsNotAJvm() throws Exception {
        JitActivity jit = JitActivity.beside(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertNotNull(jit);
        assertTrue(Double.isNaN(jit.compileSeconds(1)), "pid 1 is not a JVM");
    }
}
