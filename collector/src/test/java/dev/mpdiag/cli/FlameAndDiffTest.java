package dev.mpdiag.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Recordings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mpdiag flame` in every format and `mpdiag diff`, on real recordings. */
class FlameAndDiffTest {
    @TempDir
    Path tmp;

    @Test
    void collapsedStacksSumToTheProfileTotal() throws Exception {
        Path out = tmp.resolve("cpu.collapsed");
        Cli.Run r = Cli.run("flame", Recordings.jdk17().toString(), "--type", "cpu", "--format", "collapsed", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out);
        long sum = 0;
        java.util.Map<String, Long> byLeaf = new java.util.HashMap<>();
        for (String l : lines) {
            long w = Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
            sum += w;
            String stack = l.substring(0, l.lastIndexOf(' '));
            byLeaf.merge(stack.substring(stack.lastIndexOf(';') + 1), w, Long::sum);
            assertTrue(l.startsWith("java.lang.Thread.run") || !l.contains("Workload$HotLoop.spin"), "root first: " + l);
        }
        Path json = tmp.resolve("r.json");
        Cli.run("analyze", "--jmc=off", "--json", json.toString(), Recordings.jdk17().toString());
        JsonNode p = new ObjectMapper().readTree(json.toFile()).path("processes").get(0);
        assertEquals(p.path("profiles").path("cpu").path("totalWeight").asLong(), sum);
        String top = byLeaf.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertTrue(top.endsWith("Workload$HotLoop.spin"), "top leaf " + top + " in " + byLeaf);
        assertTrue(byLeaf.get(top) * 10 > sum * 3, "HotLoop.spin should hold a large share: " + byLeaf.get(top) + " of " + sum);
    }

    @Test
    void allocationAsSpeedscope() throws Exception {
        Path out = tmp.resolve("alloc.speedscope.json");
        Cli.Run r = Cli.run("flame", Recordings.jdk17().toString(), "-t", "alloc", "-f", "speedscope", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals("https://www.speedscope.app/file-format-schema.json", doc.path("$schema").asText());
        assertTrue(doc.path("shared").path("frames").toString().contains("Workload$Payload"));
    }

    @Test
    void lockAsPprof() throws Exception {
        Path out = tmp.resolve("lock.pb.gz");
        Cli.Run r = Cli.run("flame", Recordings.jdk17().toString(), "-t", "lock", "-f", "pprof", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            String raw = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(raw.contains("Workload$SharedLedger"), "lock class missing from the pprof string table");
        }
    }

    @Test
    void htmlFlameGraphPage() throws Exception {
        Path out = tmp.resolve("cpu.html");
        Cli.Run r = Cli.run("flame", Recordings.jdk17().toString(), "-f", "html", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(out);
        assertTrue(page.contains("new FlameGraph(") && page.contains("Workload$HotLoop.spin"));
    }

    /** The script element's JSON, as the page reads it ("<\/" is how the page escapes "</" inside a script). */
    static JsonNode scriptJson(String page, String id) throws Exception {
        String open = "<script type=\"application/json\" id=\"" + id + "\">";
        int from = page.indexOf(open) + open.length();
        return new ObjectMapper().readTree(page.substring(from, page.indexOf("</script>", from)).replace("<\\/", "</"));
    }

    @Test
    void heatmapPageCarriesEverySampleOnceWithItsTime() throws Exception {
        Path out = tmp.resolve("cpu-heatmap.html");
        Path rec = Recordings.jdk17MultiChunk();
        Cli.Run r = Cli.run("flame", rec.toString(), "-f", "heatmap", "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String page = Files.readString(out);
        assertTrue(page.contains("new Heatmap(") && page.contains("new FlameGraph("), "page scripts missing");
        JsonNode m = scriptJson(page, "heatmap-data");
        long samples = 0;
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(rec)) {
            samples += e.getEventType().getName().equals("jdk.ExecutionSample") ? 1 : 0;
        }
        assertEquals(samples, m.get("total").asLong(), "matrix total against jdk.jfr.consumer's sample count");
        assertEquals(50, m.get("rows").asInt());
        long sum = 0;
        for (JsonNode c : m.get("cells")) {
            sum += c.asLong();
        }
        assertEquals(samples, sum);
        assertEquals(m.get("columns").asInt() * 50, m.get("cells").size());
        JsonNode s = scriptJson(page, "samples-data");
        long entries = 0;
        for (int i = 2; i < s.get("entries").size(); i += 3) {
            entries += s.get("entries").get(i).asLong();
        }
        assertEquals(samples, entries, "the page's timed samples");
        Cli.Run coarse = Cli.run("flame", rec.toString(), "-f", "heatmap", "--row-ms", "100", "-o", out.toString());
        assertEquals(0, coarse.exit(), coarse.err());
        assertEquals(10, scriptJson(Files.readString(out), "heatmap-data").get("rows").asInt());
        Cli.Run bad = Cli.run("flame", rec.toString(), "-f", "heatmap", "--row-ms", "30", "-o", out.toString());
        assertEquals(Main.EXIT_BAD_INPUT, bad.exit());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--row-ms"), bad.err());
    }

    @Test
    void pprofToStdoutIsRefused() throws Exception {
        Cli.Run r = Cli.run("flame", Recordings.jdk17().toString(), "-f", "pprof");
        assertEquals(Main.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().contains("-o"), r.err());
    }

    @Test
    void diffShowsTableAndDifferentialGraph() throws Exception {
        Path html = tmp.resolve("diff.html");
        Cli.Run r = Cli.run("diff", Recordings.jdk17().toString(), "--against", Recordings.asyncProfiler().toString(),
                "--type", "cpu", "--html", html.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("cpu profile: base"), r.out());
        assertTrue(r.out().lines().count() > 5, r.out());
        String page = Files.readString(html);
        assertTrue(page.contains("\"base\":["), "differential data missing");
    }
}
