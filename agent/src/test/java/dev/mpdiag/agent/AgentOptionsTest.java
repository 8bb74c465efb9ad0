package dev.mpdiag.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of the agent's options: values, units, defaults, precedence, and one warning per bad option. */
class AgentOptionsTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    private AgentOptions parse(String agentArgs, String env) {
        warnings.clear();
        return AgentOptions.parse(agentArgs, env, warnings::add);
    }

    @Test
    void defaultsWithoutOptions() {
        AgentOptions o = parse(null, null);
        assertEquals(List.of(), warnings);
        assertEquals("http://127.0.0.1:7070", o.collector);
        assertEquals("default", o.profile);
        assertEquals(5_000, o.intervalMillis);
        assertEquals(Map.of(), o.labels);
        assertEquals(16L << 20, o.spoolMemoryBytes);
        assertNull(o.spoolDir);
        assertEquals(256L << 20, o.spoolDiskBytes);
        assertEquals(2_000, o.exitTimeoutMillis);
        assertEquals(10_000, o.httpTimeoutMillis);
        assertEquals(30_000, o.maxAgeMillis, "max(6 * 5s, 30s)");
        assertEquals(64L << 20, o.maxSizeBytes);
        assertEquals(false, o.debug);
        assertEquals(AgentOptions.defaultService(System.getProperty("sun.java.command")), o.service);
    }

    @Test
    void collectorNoneTurnsStreamingOff() {
        assertTrue(parse("", null).streams());
        AgentOptions o = parse("collector=none", null);
        assertEquals(List.of(), warnings);
        assertFalse(o.streams(), "collector=none only adds the ProcessResources event");
    }

    @Test
    void everyOptionParses() throws Exception {
        Path jfc = Files.writeString(tmp.resolve("mine.jfc"), "<configuration version=\"2.0\"/>");
        AgentOptions o = parse("collector=http://10.0.0.5:7070/,service=orders,profile=" + jfc
                + ",interval=10s,label.role=worker,label.index=3,spool.memory=512k,spool.dir=" + tmp
                + ",spool.disk=1g,exit.timeout=500ms,http.timeout=1m,maxage=2m,maxsize=128m,debug=true", null);
        assertEquals(List.of(), warnings);
        assertEquals("http://10.0.0.5:7070", o.collector, "trailing slash dropped");
        assertEquals("orders", o.service);
        assertEquals(jfc.toString(), o.profile);
        assertEquals(10_000, o.intervalMillis);
        assertEquals(Map.of("role", "worker", "index", "3"), o.labels);
        assertEquals(List.of("role", "index"), List.copyOf(o.labels.keySet()), "labels keep their order");
        assertEquals(512 * 1024, o.spoolMemoryBytes);
        assertEquals(tmp, o.spoolDir);
        assertEquals(1L << 30, o.spoolDiskBytes);
        assertEquals(500, o.exitTimeoutMillis);
        assertEquals(60_000, o.httpTimeoutMillis);
        assertEquals(120_000, o.maxAgeMillis);
        assertEquals(128L << 20, o.maxSizeBytes);
        assertTrue(o.debug);
    }

    @Test
    void tokenFromTheOptionOrAFileAndABadOneIsNeverEchoed() throws Exception {
        assertEquals("0123456789abcdef", parse("token=0123456789abcdef", null).token);
        assertEquals(List.of(), warnings);
        Path file = Files.writeString(tmp.resolve("token"), "  file-token-42xyz  \nsecond line\n");
        assertEquals("file-token-42xyz", parse("token.file=" + file, null).token);
        assertEquals(List.of(), warnings);
        assertNull(parse("token=has;semicolon-secret", null).token);
        assertEquals(1, warnings.size(), warnings.toString());
        assertFalse(warnings.get(0).contains("semicolon-secret"), warnings.get(0));
        warnings.clear();
        assertNull(parse("token.file=" + tmp.resolve("missing"), null).token);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("token.file"), warnings.get(0));
    }

    @Test
    void aTlsCaThatCannotBeReadStopsUploadsRatherThanTrustingMore() throws Exception {
        AgentOptions none = parse("tls.ca=" + tmp.resolve("missing.pem"), null);
        assertNull(none.tlsTrust);
        assertTrue(none.tlsProblem.contains("tls.ca="), none.tlsProblem);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("no upload is sent"), warnings.get(0));
        warnings.clear();
        Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello\n");
        assertTrue(parse("tls.ca=" + notPem, null).tlsProblem != null);
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void builtInProfilesByName() {
        for (String name : AgentOptions.BUILT_IN_PROFILES) {
            assertEquals(name, parse("profile=" + name, null).profile);
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void sizesAndDurations() {
        assertEquals(16L << 20, Units.parseBytes("16m"));
        assertEquals(512L << 10, Units.parseBytes("512k"));
        assertEquals(1L << 30, Units.parseBytes("1g"));
        assertEquals(1L << 30, Units.parseBytes("1G"));
        assertEquals(16L << 20, Units.parseBytes("16mb"));
        assertEquals(4096, Units.parseBytes("4096"));
        for (String bad : new String[] {"", "m", "-1m", "1.5m", "12x", "99999999999999999999g", "9999999999g"}) {
            assertEquals(-1, Units.parseBytes(bad), bad);
        }
        assertEquals(250, Units.parseMillis("250ms"));
        assertEquals(5_000, Units.parseMillis("5s"));
        assertEquals(120_000, Units.parseMillis("2m"));
        assertEquals(7_000, Units.parseMillis("7"));
        for (String bad : new String[] {"", "s", "banana", "-5s", "1.5s", "5h"}) {
            assertEquals(-1, Units.parseMillis(bad), bad);
        }
        assertEquals("16m", Units.formatBytes(16L << 20));
        assertEquals("1000", Units.formatBytes(1000));
        assertEquals("5s", Units.formatMillis(5_000));
        assertEquals("1500ms", Units.formatMillis(1_500));
    }

    @Test
    void eachBadValueFallsBackToItsDefaultWithOneWarningNamingIt() {
        String[][] cases = {
            {"collector=ftp://x", "collector"}, {"collector=not a url", "collector"},
            {"service=a/b", "service"}, {"service=", "service"},
            {"profile=nosuch", "profile"}, {"profile=/no/such/file.jfc", "profile"},
            {"interval=banana", "interval"}, {"interval=500ms", "interval"}, {"interval=0", "interval"},
            {"spool.memory=lots", "spool.memory"}, {"spool.memory=10", "spool.memory"},
            {"spool.disk=-1", "spool.disk"}, {"exit.timeout=forever", "exit.timeout"},
            {"http.timeout=0", "http.timeout"}, {"maxsize=1k", "maxsize"}, {"maxage=1s", "maxage"},
            {"debug=yes", "debug"}, {"colector=http://x:1", "colector"}, {"label.=x", "label."},
            {"justaword", "justaword"}, {"profiler=perf", "profiler"}, {"async.event=cycles", "async.event"},
            {"async.interval=often", "async.interval"}, {"async.alloc=much", "async.alloc"}, {"async.lock=x", "async.lock"},
        };
        AgentOptions defaults = parse(null, null);
        for (String[] c : cases) {
            AgentOptions o = parse(c[0], null);
            assertEquals(1, warnings.size(), c[0] + " -> " + warnings);
            assertTrue(warnings.get(0).contains(c[1]), "warning names " + c[1] + ": " + warnings);
            assertTrue(!warnings.get(0).contains("\n"), "one line");
            assertEquals(defaults.collector, o.collector, c[0]);
            assertEquals(defaults.service, o.service, c[0]);
            assertEquals(defaults.profile, o.profile, c[0]);
            assertEquals(defaults.intervalMillis, o.intervalMillis, c[0]);
            assertEquals(defaults.spoolMemoryBytes, o.spoolMemoryBytes, c[0]);
            assertEquals(defaults.spoolDiskBytes, o.spoolDiskBytes, c[0]);
            assertEquals(defaults.exitTimeoutMillis, o.exitTimeoutMillis, c[0]);
            assertEquals(defaults.httpTimeoutMillis, o.httpTimeoutMillis, c[0]);
            assertEquals(defaults.maxAgeMillis, o.maxAgeMillis, c[0]);
            assertEquals(defaults.maxSizeBytes, o.maxSizeBytes, c[0]);
            assertEquals(defaults.debug, o.debug, c[0]);
            assertEquals(defaults.labels, o.labels, c[0]);
            assertEquals(defaults.profiler, o.profiler, c[0]);
            assertEquals(defaults.asyncEvent, o.asyncEvent, c[0]);
            assertEquals(defaults.asyncIntervalMillis, o.asyncIntervalMillis, c[0]);
            assertEquals(defaults.asyncAllocBytes, o.asyncAllocBytes, c[0]);
            assertEquals(defaults.asyncLockMillis, o.asyncLockMillis, c[0]);
        }
    }

    @Test
    void asyncProfilerOptionsAndWhatTheyTakeFromJfr() {
        AgentOptions jfr = parse(null, null);
        assertEquals("jfr", jfr.profiler);
        assertFalse(jfr.wantsAsync());

        AgentOptions cpu = parse("profiler=async", null);
        assertTrue(cpu.wantsAsync());
        assertEquals("event=cpu,interval=10000000", AsyncProfilerSession.arguments(cpu));
        assertEquals(Map.of("jdk.ExecutionSample#enabled", "false", "jdk.NativeMethodSample#enabled", "false"),
                AsyncProfilerSession.jfrOverrides(cpu));

        AgentOptions all = parse("profiler=auto,async.event=itimer,async.interval=5ms,async.alloc=512k,async.lock=1ms", null);
        assertEquals(List.of(), warnings);
        assertTrue(all.wantsAsync());
        assertEquals("event=itimer,interval=5000000,alloc=524288,lock=1000000", AsyncProfilerSession.arguments(all));
        assertEquals(7, AsyncProfilerSession.jfrOverrides(all).size(), "samples, allocations and locks");
        assertEquals("false", AsyncProfilerSession.jfrOverrides(all).get("jdk.ThreadPark#enabled"));

        // Wall clock samples every thread; the CPU profile keeps coming from JFR.
        AgentOptions wall = parse("profiler=async,async.event=wall", null);
        assertEquals("event=wall,interval=50000000", AsyncProfilerSession.arguments(wall));
        assertEquals(Map.of(), AsyncProfilerSession.jfrOverrides(wall));
        assertEquals(-1, parse("async.lock=off", null).asyncLockMillis);
        assertEquals(0, parse("async.alloc=off", null).asyncAllocBytes);
    }

    @Test
    void badOptionsDoNotSpoilGoodOnes() {
        AgentOptions o = parse("interval=banana,service=orders,bogus=1,label.role=worker", null);
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals("orders", o.service);
        assertEquals(Map.of("role", "worker"), o.labels);
        assertEquals(5_000, o.intervalMillis);
    }

    @Test
    void agentStringOverridesMpagentOpts() {
        AgentOptions o = parse("service=fromagent,label.role=agent",
                "service=fromenv,label.role=env,label.zone=a,interval=7s");
        assertEquals(List.of(), warnings);
        assertEquals("fromagent", o.service);
        assertEquals(Map.of("role", "agent", "zone", "a"), o.labels);
        assertEquals(7_000, o.intervalMillis, "what only MPAGENT_OPTS sets still applies");
    }

    @Test
    void supervisorsLabelIndexBecomesLabelIndex() {
        // sample-service's supervisor appends ",label.index=i" to whatever --agent-options says.
        AgentOptions o = parse("collector=http://127.0.0.1:7070,label.index=3", null);
        assertEquals(Map.of("index", "3"), o.labels);
    }

    @Test
    void maxAgeFollowsTheIntervalUnlessSet() {
        assertEquals(60_000, parse("interval=10s", null).maxAgeMillis);
        assertEquals(30_000, parse("interval=1s", null).maxAgeMillis);
        assertEquals(20_000, parse("maxage=20s,interval=10s", null).maxAgeMillis, "checked against the final interval");
        assertEquals(List.of(), warnings);
        assertEquals(60_000, parse("interval=10s,maxage=15s", null).maxAgeMillis);
        assertEquals(1, warnings.size());
    }

    @Test
    void serviceDefaultsToMainClassOrJarName() {
        assertEquals("Main", AgentOptions.defaultService("dev.mpdiag.sample.Main worker --index 0"));
        assertEquals("sample-service", AgentOptions.defaultService("/opt/app/sample-service.jar worker"));
        assertEquals("Main", AgentOptions.defaultService("my.module/dev.x.Main"));
        assertEquals("java", AgentOptions.defaultService(null));
        assertEquals("java", AgentOptions.defaultService("  "));
    }

    @Test
    void warningsQuoteAtMostALineOfWhatWasWritten() {
        parse("x".repeat(100_000) + "=1", null);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).length() < 300, warnings.get(0).length() + " chars");
        AgentOptions o = parse("label.z\u00fcrich=a\u0000b", null);
        assertEquals(List.of(), warnings, "any label key and value are allowed; they are form-encoded");
        assertEquals(Map.of("z\u00fcrich", "a\u0000b"), o.labels);
    }
}
