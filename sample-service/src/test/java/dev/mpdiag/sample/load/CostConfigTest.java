package dev.mpdiag.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostConfigTest {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @Test
    void namesMapToAgentOptions() {
        CostConfig off = CostConfig.parse("off", JAVA_HOME);
        assertEquals("off", off.name());
        assertFalse(off.agent());
        assertEquals("off2", CostConfig.parse("off2", JAVA_HOME).name());

        CostConfig async = CostConfig.parse("async", JAVA_HOME);
        assertEquals("default", async.profile());
        assertEquals(",profiler=async", async.extraOptions());
        assertTrue(async.streams());

        CostConfig stock = CostConfig.parse("stock", JAVA_HOME);
        assertEquals(JAVA_HOME.resolve("lib/jfr/default.jfc").toString(), stock.profile());

        CostConfig hang = CostConfig.parse("default@hang", JAVA_HOME);
        assertEquals("hang", hang.fault());
        assertTrue(hang.agent());
        assertFalse(hang.streams(), "a faulty collector's agent does not stream to the real one");
        assertNull(CostConfig.parse("default", JAVA_HOME).fault());
    }

    @Test
    void badNamesAreRefusedWithTheReason(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostConfig.parse("default@flaky", JAVA_HOME))
                .getMessage().contains("[absent, hang, 500, slow]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostConfig.parse("off@hang", JAVA_HOME))
                .getMessage().contains("no collector to break"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostConfig.parse("/nope/x.jfc", JAVA_HOME))
                .getMessage().contains("no such file"));
        Path jfc = Files.writeString(dir.resolve("mine.jfc"), "<configuration/>");
        assertEquals(jfc.toAbsolutePath().toString(), CostConfig.parse(jfc.toString(), JAVA_HOME).profile());
    }

    @Test
    void everyWorkerGetsTheSameFlagsAndOnlyTheAgentDiffers() {
        Path java = Path.of("/j/bin/java");
        Path jar = Path.of("/s.jar");
        Path agent = Path.of("/a.jar");
        List<String> off = CostConfig.parse("off", JAVA_HOME).command(java, jar, agent, "http://c", "512m", "0", 8080);
        List<String> on = CostConfig.parse("async", JAVA_HOME).command(java, jar, agent, "http://c", "512m", "0", 8081);
        assertEquals(List.of("taskset", "-c", "0", "/j/bin/java", "-Xms512m", "-Xmx512m", "-jar", "/s.jar", "serve",
                "--port", "8080"), off);
        assertEquals("-javaagent:/a.jar=collector=http://c,service=cost-bench,label.config=async,profile=default"
                + ",profiler=async", on.get(6));
        assertEquals(off.size() + 1, on.size());
    }
}
