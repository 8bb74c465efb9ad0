package dev.mpdiag.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, for tests of the pages mpdiag writes: it keeps the
 * page's console log so a test can assert that nothing went wrong, and saves screenshots under target/screenshots.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final Path profile;
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a fresh headless Chromium; fails (never skips) when Chromium or chromedriver is not installed. */
    public static Browser start() throws IOException {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("browser tests need " + String.join(" and ", missing)
                    + "; run bin/test, which installs them, or apt-get install chromium chromium-driver");
        }
        Path profile = Files.createTempDirectory("mpdiag-chromium-");
        ChromeOptions options = new ChromeOptions();
        // Both paths are explicit so that Selenium Manager never tries to download a browser or a driver.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a local file, after setting aside the console output of the page before it. */
    public void open(Path file, String hash) {
        consoleSinceOpen();
        console.clear();
        driver.get(file.toAbsolutePath().toUri() + (hash == null ? "" : "#" + hash));
    }

    /** Opens a URL (a page served over HTTP), after setting aside the console output of the page before it. */
    public void openUrl(String url) {
        consoleSinceOpen();
        console.clear();
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Waits until the script returns true (a JS truthy value that is not false or null). */
    public void waitUntil(String what, String script, Object... args) {
        waitUntil(WAIT, what, script, args);
    }

    /** Same, with its own time limit. */
    public void waitUntil(Duration limit, String what, String script, Object... args) {
        new WebDriverWait(driver, limit).withMessage(what)
                .until(d -> {
                    Object v = driver.executeScript(script, args);
                    return v != null && !Boolean.FALSE.equals(v) ? Boolean.TRUE : null;
                });
    }

    /** Every console entry of the page opened last (Chromium hands each entry out once, so they are kept here). */
    public List<LogEntry> consoleSinceOpen() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e);
        }
        return List.copyOf(console);
    }

    /** Console errors and uncaught exceptions of the page opened last, one line each. */
    public List<String> severeConsoleEntries() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : consoleSinceOpen()) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    /** Saves the visible part of the page as target/screenshots/NAME.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path out = SCREENSHOTS.resolve(name + ".png");
        Files.write(out, driver.getScreenshotAs(OutputType.BYTES));
        return out;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    /** Best effort: a profile that a dying Chromium still writes to is only a leftover temp directory. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("NOTICE: could not delete Chromium profile " + dir + ": " + e);
        }
    }
}
