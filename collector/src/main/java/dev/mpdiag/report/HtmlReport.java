package dev.mpdiag.report;

import dev.mpdiag.engine.LockRows;
import dev.mpdiag.engine.TopFrames;
import dev.mpdiag.engine.ProcessSummary;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.RecordingAnalyzer;
import dev.mpdiag.engine.Summary;
import dev.mpdiag.engine.jmc.JmcFinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Self-contained HTML: web-ui's flame.js and flame.css inlined with the data, so the file opens anywhere
 * without a server or network. Tables are rendered here; flame graphs are drawn by flame.js on canvas.
 */
public final class HtmlReport {
    private static final ProfileType[] FLAME_TYPES = {ProfileType.CPU, ProfileType.ALLOC, ProfileType.LOCK,
            ProfileType.WALL, ProfileType.WAIT, ProfileType.NATIVE};
    private static final double REPORT_MIN_SHARE = 0.0001;

    private HtmlReport() {
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /web/" + name + " (web-ui jar not on the classpath)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON placed inside a script element: "</" must not appear, or the browser would end the script early. */
    static String scriptSafe(String json) {
        return json.replace("</", "<\\/");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title>\n<style>\n" + resource("flame.css") + "\n" + resource("heatmap.css") + "\n" + resource("report.css")
                + "\n</style></head>\n";
    }

    /** A page with one flame graph (mpdiag flame --format html, mpdiag diff --html). */
    public static String flamePage(String title, FlameTree tree, double minShare) {
        return head(title) + "<body class=\"mp-report\"><header><h1>" + esc(title) + "</h1></header>\n"
                + "<main><div id=\"flame\" class=\"mp-flame\"></div></main>\n"
                + "<script type=\"application/json\" id=\"flame-data\">" + scriptSafe(tree.toJson(minShare))
                + "</script>\n<script type=\"module\">\n" + resource("flame.js") + "\n"
                + "const fgData = JSON.parse(document.getElementById('flame-data').textContent);\n"
                + "window.mpdiagFlame = new FlameGraph(document.getElementById('flame'), fgData, {});\n"
                + "</script></body></html>\n";
    }

    /**
     * A heatmap over a flame graph, with no server behind it: dragging a span builds that span's flame graph in
     * the page from the timed samples embedded beside the matrix. The span goes in the URL's fragment.
     */
    public static String heatmapPage(String title, String heatmapJson, String samplesJson) {
        return head(title) + "<body class=\"mp-report\"><header><h1>" + esc(title) + "</h1></header>\n"
                + "<main><section><h2>Heatmap</h2><div id=\"heatmap\"></div></section>\n"
                + "<section><h2 id=\"span\">Flame graph</h2><div id=\"flame\" class=\"mp-flame\"></div></section></main>\n"
                + "<script type=\"application/json\" id=\"heatmap-data\">" + scriptSafe(heatmapJson) + "</script>\n"
                + "<script type=\"application/json\" id=\"samples-data\">" + scriptSafe(samplesJson) + "</script>\n"
                + "<script type=\"module\">\n" + resource("flame.js") + "\n" + resource("heatmap.js") + "\n"
                + resource("heatmap-page.js") + "\n</script></body></html>\n";
    }

    /** The full analyze report: process picker, flame graphs per profile type, and every table. */
    public static void write(Path file, RecordingAnalyzer.Result result, List<ProcessReport> reports,
            ProcessReport merged) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        List<ProcessReport> rs = new ArrayList<>();
        if (reports.size() > 1) {
            ids.add("all");
            summaries.add(result.merged());
            rs.add(merged);
        }
        for (int i = 0; i < reports.size(); i++) {
            ProcessSummary p = result.processes().get(i);
            ids.add("p" + i);
            summaries.add(p.summary());
            rs.add(reports.get(i));
        }
        StringBuilder data = new StringBuilder("{");
        StringBuilder sections = new StringBuilder();
        StringBuilder options = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> flames = new LinkedHashMap<>();
            for (ProfileType t : FLAME_TYPES) {
                if (summaries.get(i).profileOrNull(t) != null) {
                    flames.put(t.id(), FlameTree.of(summaries.get(i), t).toJson(REPORT_MIN_SHARE));
                }
            }
            data.append(i == 0 ? "" : ",").append('"').append(ids.get(i)).append("\":{");
            int k = 0;
            for (Map.Entry<String, String> e : flames.entrySet()) {
                data.append(k++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            }
            data.append('}');
            String label = rs.get(i).label();
            options.append("<option value=\"").append(ids.get(i)).append("\">").append(esc(label)).append("</option>");
            sections.append("<section class=\"mp-process\" data-process=\"").append(ids.get(i)).append("\" hidden>")
                    .append(tables(rs.get(i))).append("</section>\n");
        }
        data.append('}');
        StringBuilder warn = new StringBuilder();
        for (String w : result.warnings()) {
            warn.append("<p class=\"mp-warning\">warning: ").append(esc(w)).append("</p>");
        }
        String page = head("mpdiag report") + "<body class=\"mp-report\"><header><h1>mpdiag report</h1>"
                + "<label>Process <select id=\"process\">" + options + "</select></label>"
                + "<nav id=\"types\" class=\"mp-tabs\"></nav></header>\n<main>" + warn
                + "<div id=\"flame\" class=\"mp-flame\"></div>\n" + sections + "</main>\n"
                + "<script type=\"application/json\" id=\"report-data\">" + scriptSafe(data.toString()) + "</script>\n"
                + "<script type=\"module\">\n" + resource("flame.js") + "\n" + resource("report.js") + "\n</script>"
                + "</body></html>\n";
        Files.writeString(file, page, StandardCharsets.UTF_8);
    }

    private static String tables(ProcessReport p) {
        StringBuilder b = new StringBuilder();
        ProcessReport.Jvm j = p.jvm();
        b.append("<h2>").append(esc(p.label())).append("</h2>");
        if (j != null && j.version() != null) {
            b.append("<p class=\"mp-meta\">").append(esc(j.display()))
                    .append("<br>").append(esc(j.javaArguments())).append("</p>");
        }
        for (Map.Entry<String, List<TopFrames.Row>> e : p.hotMethods().entrySet()) {
            b.append("<h3>Hot methods (").append(e.getKey()).append(")</h3><table><tr><th>self</th><th>total</th><th>method</th></tr>");
            for (TopFrames.Row r : e.getValue()) {
                b.append("<tr><td>").append(Units.percent(r.selfShare())).append("</td><td>").append(Units.percent(r.totalShare()))
                        .append("</td><td class=\"mp-name\">").append(esc(r.name())).append("</td></tr>");
            }
            b.append("</table>");
        }
        rows(b, "Allocation by class", p.allocationClasses());
        rows(b, "Allocation sites", p.allocationSites());
        b.append("<h3>Contended monitors</h3>");
        if (p.locks().isEmpty()) {
            b.append("<p>none recorded</p>");
        } else {
            b.append("<table><tr><th>blocked</th><th>events</th><th>longest</th><th>kind</th><th>class</th><th>site that blocked most</th></tr>");
            for (LockRows.Row r : p.locks()) {
                b.append("<tr><td>").append(Units.nanos(r.blockedNanos())).append("</td><td>").append(r.count())
                        .append("</td><td>").append(Units.nanos(r.maxNanos())).append("</td><td>").append(r.kind())
                        .append("</td><td class=\"mp-name\">").append(esc(r.monitorClass())).append("</td><td class=\"mp-name\">")
                        .append(esc(r.topSite())).append("</td></tr>");
            }
            b.append("</table>");
        }
        ProcessReport.Gc gc = p.gc();
        b.append("<h3>GC</h3><p>").append(gc.collections()).append(" collections, total pause ")
                .append(Units.nanos(gc.totalPauseNanos())).append(" (").append(Units.percent(gc.pauseShare()))
                .append(" of wall time), longest ").append(Units.nanos(gc.maxPauseNanos()));
        if (!Double.isNaN(gc.heapAfterGcLast())) {
            b.append("; heap after GC first ").append(Units.bytes(gc.heapAfterGcFirst())).append(", last ")
                    .append(Units.bytes(gc.heapAfterGcLast())).append(", max ").append(Units.bytes(gc.heapAfterGcMax()));
        }
        b.append("</p>");
        ProcessReport.ContextSwitches cs = p.contextSwitches();
        b.append("<h3>Context switches</h3><p>").append(cs.perProcess()
                ? String.format(Locale.ROOT, "this process: %s voluntary, %s involuntary; ", Units.rate(cs.voluntaryPerSecond()),
                        Units.rate(cs.involuntaryPerSecond()))
                : "per-process figures need mpagent's mpdiag.ProcessResources event; ")
                .append("machine-wide ").append(Units.rate(cs.machineWidePerSecond())).append("</p>");
        ProcessReport.AgentCost cost = p.agentCost();
        if (cost != null) {
            b.append("<h3>Agent cost</h3><p data-role=\"agent-cost\">mpagent: ").append(Units.percent(cost.cpuShare()))
                    .append(" of this process's CPU (its threads ").append(Units.nanos(cost.ownCpuNanos()))
                    .append(", JFR's threads ").append(Units.nanos(cost.jfrCpuNanos())).append("); events written in the"
                            + " application's threads are not in it</p>");
        }
        if (p.jmcFindings() != null) {
            b.append("<h3>JMC findings</h3><table><tr><th>severity</th><th>score</th><th>rule</th><th>finding</th></tr>");
            for (JmcFinding f : p.jmcFindings()) {
                if ("INFO".equals(f.severity()) || "WARNING".equals(f.severity())) {
                    b.append("<tr class=\"mp-sev-").append(f.severity().toLowerCase(Locale.ROOT)).append("\"><td>")
                            .append(f.severity()).append("</td><td>").append(String.format(Locale.ROOT, "%.0f", f.score()))
                            .append("</td><td>").append(esc(f.id())).append("</td><td>").append(esc(f.summary()))
                            .append("</td></tr>");
                }
            }
            b.append("</table>");
        } else if (p.jmcError() != null) {
            b.append("<h3>JMC findings</h3><p>").append(esc(p.jmcError())).append("</p>");
        }
        return b.toString();
    }

    private static void rows(StringBuilder b, String title, List<TopFrames.Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h3>").append(title).append("</h3><table><tr><th>bytes</th><th>share</th><th>class</th></tr>");
        for (TopFrames.Row r : rows) {
            b.append("<tr><td>").append(Units.bytes(r.total())).append("</td><td>").append(Units.percent(r.totalShare()))
                    .append("</td><td class=\"mp-name\">").append(esc(r.name())).append("</td></tr>");
        }
        b.append("</table>");
    }
}
