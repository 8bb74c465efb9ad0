package dev.mpdiag.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.testing.Browser;
import dev.mpdiag.testing.Cli;
import dev.mpdiag.testing.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The HTML pages of `analyze --html`, `flame --format html` and `diff --html`, made from real recordings and
 * used in headless Chromium as a person would: typing a search, clicking and hovering frames, switching tabs.
 */
class HtmlReportBrowserIT {
    private static final Path PAGES = Path.of("target", "browser-pages");
    private static final String SPIN = "Workload$HotLoop.spin";

    /** Index of the node with the largest total among those whose name ends with arguments[0], or -1. */
    private static final String HEAVIEST_NODE = """
            const g = window.mpdiagFlame;
            let best = -1, bestTotal = -1;
            for (let i = 0, f; (f = g.frameInfo(i)) !== null; i++) {
              if (f.name.endsWith(arguments[0]) && f.total > bestTotal) { best = i; bestTotal = f.total; }
            }
            return best;""";
    /** Parent of node arguments[0]: in pre-order it is the nearest node before it one level up. */
    private static final String PARENT_NODE = """
            const g = window.mpdiagFlame, d = g.frameInfo(arguments[0]).depth;
            for (let p = arguments[0] - 1; p >= 0; p--) if (g.frameInfo(p).depth === d - 1) return p;
            return -1;""";
    /** Viewport point [x, y] in the middle of node arguments[0]'s rectangle, scrolled into view; null if not drawn. */
    private static final String FRAME_POINT = """
            const r = window.mpdiagFlame.frameRect(arguments[0]);
            if (!r) return null;
            const c = document.querySelector('#flame [data-role=canvas]');
            let b = c.getBoundingClientRect();
            const y = b.top + r.y + r.h / 2;
            if (y < 40 || y > innerHeight - 40) { window.scrollBy(0, y - innerHeight / 2); b = c.getBoundingClientRect(); }
            return [Math.round(b.left + r.x + r.w / 2), Math.round(b.top + r.y + r.h / 2)];""";

    private static Browser browser;
    private static Path report;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Browser.start();
        Files.createDirectories(PAGES);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void fullReportOfTwoProcesses() throws Exception {
        browser.open(reportPage(), null);
        waitForDrawnGraph();
        browser.screenshot("report-initial");
        assertNoConsoleErrors();

        assertTrue(Long.parseLong(canvas().getDomAttribute("data-drawn")) > 0, "no frame drawn");
        Select process = new Select(browser.driver().findElement(By.id("process")));
        assertEquals(List.of("all", "p0", "p1"), process.getOptions().stream().map(o -> o.getDomAttribute("value")).toList());
        assertEquals("all", process.getFirstSelectedOption().getDomAttribute("value"));
        List<String> types = browser.driver().findElements(By.cssSelector("#types button")).stream()
                .map(b -> b.getDomAttribute("data-type")).toList();
        assertTrue(types.containsAll(List.of("cpu", "alloc", "lock")), "profile tabs: " + types);
        assertEquals("cpu", pressedType());
        assertTrue(browser.driver().getCurrentUrl().endsWith("#process=all&type=cpu"), browser.driver().getCurrentUrl());
        assertTrue(summary().startsWith("cpu"), summary());

        // Search as a person does: type into the toolbar, wait for the debounced search to run.
        WebElement search = inFlame("search");
        search.sendKeys("HotLoop.spin");
        browser.waitUntil("match share after typing a search", "return +document.querySelector("
                + "'#flame [data-role=match-share]').dataset.share > 0;");
        double share = Double.parseDouble(inFlame("match-share").getDomAttribute("data-share"));
        assertTrue(share > 0.3, "HotLoop.spin should hold most cpu samples, matched " + share);
        // The share shown is that of the whole text typed, not of a prefix searched while typing.
        assertEquals(searchShare("HotLoop.spin"), share, 1e-9);
        assertTrue(inFlame("match-share").getText().startsWith("matched: "), inFlame("match-share").getText());
        browser.screenshot("report-search");
        // Escape in the search box clears the search.
        search.sendKeys(Keys.ESCAPE);
        assertEquals("0", inFlame("match-share").getDomAttribute("data-share"));
        assertEquals("", inFlame("match-share").getText());

        // A real click on HotLoop.spin's caller zooms to it.
        long spin = ((Number) browser.js(HEAVIEST_NODE, SPIN)).longValue();
        assertTrue(spin > 0, "no " + SPIN + " frame in the cpu graph");
        long caller = ((Number) browser.js(PARENT_NODE, spin)).longValue();
        assertTrue(caller > 0, "caller of " + SPIN + " is the root");
        assertEquals("0", canvas().getDomAttribute("data-zoom"));
        clickFrame(caller);
        assertEquals(Long.toString(caller), canvas().getDomAttribute("data-zoom"));
        List<WebElement> crumbs = inFlame("breadcrumb").findElements(By.cssSelector("button[data-node]"));
        assertTrue(crumbs.size() >= 2, "breadcrumb of a zoomed graph: " + crumbs.size() + " crumbs");
        assertEquals(Long.toString(caller), crumbs.get(crumbs.size() - 1).getDomAttribute("data-node"));
        assertEquals("true", crumbs.get(crumbs.size() - 1).getDomAttribute("aria-current"));
        browser.screenshot("report-zoomed");
        inFlame("reset").click();
        assertEquals("0", canvas().getDomAttribute("data-zoom"));
        assertFalse(inFlame("reset").isEnabled(), "reset stays enabled at the root");

        // Hovering a frame shows its tooltip.
        hoverFrame(spin);
        browser.waitUntil("tooltip shown on hover",
                "return !document.querySelector('#flame [data-role=tooltip]').hidden;");
        WebElement tooltip = inFlame("tooltip");
        assertTrue(tooltip.isDisplayed(), "tooltip not displayed");
        assertTrue(tooltip.getText().contains("Total"), tooltip.getText());
        assertTrue(tooltip.getText().contains(SPIN), tooltip.getText());
        browser.screenshot("report-tooltip");

        // The lock tab shows the contended monitor.
        browser.driver().findElement(By.cssSelector("#types button[data-type=lock]")).click();
        assertEquals("lock", pressedType());
        assertTrue(summary().startsWith("lock"), summary());
        assertTrue(browser.driver().getCurrentUrl().endsWith("#process=all&type=lock"), browser.driver().getCurrentUrl());
        double lockShare = searchShare("SharedLedger");
        assertTrue(lockShare > 0.5, "SharedLedger should hold most blocked time, matched " + lockShare);
        browser.screenshot("report-lock");
        browser.js("window.mpdiagFlame.search('')");

        // The second process: its own section and a URL that leads back to it.
        new Select(browser.driver().findElement(By.id("process"))).selectByValue("p1");
        browser.waitUntil("URL hash of the second process", "return location.hash === '#process=p1&type=lock';");
        assertEquals("lock", pressedType());
        assertTrue(Long.parseLong(canvas().getDomAttribute("data-drawn")) > 0, "no frame drawn for the second process");
        Map<String, Boolean> visible = visibleSections();
        assertEquals(Map.of("all", false, "p0", false, "p1", true), visible);
        browser.screenshot("report-process-p1");
        assertNoConsoleErrors();
    }

    @Test
    void reportStateComesFromTheUrl() throws Exception {
        browser.open(reportPage(), "process=p0&type=alloc");
        waitForDrawnGraph();
        assertEquals("p0", new Select(browser.driver().findElement(By.id("process"))).getFirstSelectedOption()
                .getDomAttribute("value"));
        assertEquals("alloc", pressedType());
        assertTrue(summary().startsWith("alloc"), summary());
        assertEquals(Map.of("all", false, "p0", true, "p1", false), visibleSections());
        double share = searchShare("Workload$Payload");
        assertTrue(share > 0.3, "Payload should top the allocation profile, matched " + share);
        browser.screenshot("report-url-state");
        assertTrue(String.valueOf(browser.driver().getCurrentUrl()).contains("search="), "search not kept in the URL");

        // A shared link pasted into the open tab changes only the hash: the view must follow it.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                "location.hash = 'process=p1&type=lock&search=SharedLedger'");
        browser.waitUntil("lock tab chosen by the new hash",
                "const b = document.querySelector('#types button[aria-pressed=true]'); return !!b && b.dataset.type === 'lock';");
        assertEquals("p1", new Select(browser.driver().findElement(By.id("process"))).getFirstSelectedOption()
                .getDomAttribute("value"));
        assertEquals(Map.of("all", false, "p0", false, "p1", true), visibleSections());
        double lockShare = Double.parseDouble(inFlame("match-share").getDomAttribute("data-share"));
        assertTrue(lockShare > 0.5, "search from the hash should match SharedLedger, matched " + lockShare);
        assertNoConsoleErrors();
    }

    @Test
    void singleFlameGraphPage() throws Exception {
        Path page = PAGES.resolve("flame-cpu.html");
        Cli.Run run = Cli.run("flame", Recordings.jdk17().toString(), "--quiet", "--format", "html", "-o", page.toString());
        assertEquals(0, run.exit(), run.err());
        browser.open(page, null);
        waitForDrawnGraph();
        assertNoConsoleErrors();
        assertTrue(Long.parseLong(canvas().getDomAttribute("data-drawn")) > 0, "no frame drawn");
        assertTrue(summary().startsWith("cpu"), summary());
        assertEquals("icicle", canvas().getDomAttribute("data-orientation"));
        inFlame("orientation").click();
        assertEquals("flame", canvas().getDomAttribute("data-orientation"));
        assertTrue(searchShare("HotLoop.spin") > 0.3, "HotLoop.spin should hold most cpu samples");
        browser.screenshot("flame-cpu");
        assertNoConsoleErrors();
    }

    @Test
    void diffPageColoursGrowthAndShrinkage() throws Exception {
        Path page = PAGES.resolve("diff-cpu.html");
        Cli.Run run = Cli.run("diff", Recordings.jdk17().toString(), "--against", Recordings.jdk17Second().toString(),
                "--quiet", "--html", page.toString());
        assertEquals(0, run.exit(), run.err());
        browser.open(page, null);
        waitForDrawnGraph();
        assertNoConsoleErrors();
        assertTrue(Long.parseLong(canvas().getDomAttribute("data-drawn")) > 0, "no frame drawn");
        assertTrue(inFlame("flame-graph").getDomAttribute("class").contains("fg-diff"), "graph not in diff mode");
        assertTrue(summary().endsWith("diff"), summary());
        Object baseTotal = browser.js("return window.mpdiagFlame.frameInfo(0).baseTotal;");
        assertTrue(baseTotal instanceof Number && ((Number) baseTotal).doubleValue() > 0, "baseline total: " + baseTotal);
        // Pixels: diff frames are red (grew), blue (shrank) or grey, never the green of a plain cpu graph.
        @SuppressWarnings("unchecked")
        Map<String, Number> colours = (Map<String, Number>) browser.js("""
                const c = document.querySelector('#flame [data-role=canvas]');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let red = 0, blue = 0, green = 0;
                for (let i = 0; i < px.length; i += 4) {
                  const r = px[i], g = px[i + 1], b = px[i + 2];
                  if (r - g > 30 && r - b > 30 && Math.abs(g - b) < 12) red++;
                  else if (b - r > 20 && b - g > 10) blue++;
                  else if (g - r > 40 && g - b > 40) green++;
                }
                return {red, blue, green};""");
        assertTrue(colours.get("red").longValue() + colours.get("blue").longValue() > 0, "no diff colour: " + colours);
        assertEquals(0, colours.get("green").longValue(), "plain frame colours in a diff: " + colours);
        hoverFrame(((Number) browser.js(HEAVIEST_NODE, SPIN)).longValue());
        browser.waitUntil("tooltip shown on hover",
                "return !document.querySelector('#flame [data-role=tooltip]').hidden;");
        assertTrue(inFlame("tooltip").getText().contains("Baseline total"), inFlame("tooltip").getText());
        browser.screenshot("diff-cpu");
        assertNoConsoleErrors();
    }

    /** The report of two processes (so three choices: merged, first, second), written once per test run. */
    private static synchronized Path reportPage() throws Exception {
        if (report == null) {
            Path page = PAGES.resolve("report.html");
            Cli.Run run = Cli.run("analyze", "--jmc=off", "--quiet", "--html", page.toString(),
                    Recordings.jdk17().toString(), Recordings.jdk17Second().toString());
            assertEquals(0, run.exit(), run.err());
            report = page;
        }
        return report;
    }

    private static void waitForDrawnGraph() {
        browser.waitUntil("flame graph drawn", "const c = document.querySelector('#flame [data-role=canvas]');"
                + " return window.mpdiagFlame && c && +c.dataset.drawn > 0;");
    }

    private static void assertNoConsoleErrors() {
        List<String> severe = browser.severeConsoleEntries();
        assertTrue(severe.isEmpty(), "console errors: " + severe);
    }

    private static WebElement inFlame(String role) {
        return browser.driver().findElement(By.cssSelector("#flame [data-role=" + role + "]"));
    }

    private static WebElement canvas() {
        return inFlame("canvas");
    }

    private static String summary() {
        return inFlame("summary").getText();
    }

    private static String pressedType() {
        return browser.driver().findElement(By.cssSelector("#types button[aria-pressed=true]")).getDomAttribute("data-type");
    }

    private static double searchShare(String text) {
        return ((Number) browser.js("return window.mpdiagFlame.search(arguments[0]).share;", text)).doubleValue();
    }

    private static Map<String, Boolean> visibleSections() {
        @SuppressWarnings("unchecked")
        Map<String, Boolean> m = (Map<String, Boolean>) browser.js("const out = {};"
                + " for (const s of document.querySelectorAll('section.mp-process')) out[s.dataset.process] = !s.hidden;"
                + " return out;");
        return m;
    }

    private static void clickFrame(long node) {
        List<Long> p = framePoint(node);
        new Actions(browser.driver()).moveToLocation(p.get(0).intValue(), p.get(1).intValue()).click().perform();
    }

    private static void hoverFrame(long node) {
        List<Long> p = framePoint(node);
        new Actions(browser.driver()).moveToLocation(p.get(0).intValue(), p.get(1).intValue()).perform();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> framePoint(long node) {
        List<Long> p = (List<Long>) browser.js(FRAME_POINT, node);
        assertNotNull(p, "frame " + node + " is not drawn");
        return p;
    }
}
