package io.playbill.infra.standalone;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The system's headless Chromium, driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Selenium is given both paths, so Selenium Manager never
 * looks for, let alone downloads, a browser or a driver. Downloads go to a directory of this run; screenshots to
 * {@code target/console-screenshots/}.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("playbill.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("playbill.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    private final ChromeDriver driver;
    private final Path downloads;
    private final List<String> consoleMessages = new ArrayList<>();

    private ConsoleBrowser(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
    }

    /**
     * Starts the browser, or: without Chromium and its driver, fails under CI ({@code CI=true}) and skips the test
     * with the reason elsewhere.
     */
    static ConsoleBrowser start() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "The console's browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(missing);
        }
        Assumptions.assumeTrue(installed, missing);

        Path downloads = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-downloads-");
        Path profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--window-size=1280,1000", "--lang=en-GB",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "download.directory_upgrade", true));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Files.createDirectories(SCREENSHOTS);
        return new ConsoleBrowser(new ChromeDriver(service, options), downloads);
    }

    ChromeDriver driver() {
        return driver;
    }

    Path downloads() {
        return downloads;
    }

    /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** The whole page, not just the window: the window is made as tall as the page (at most 3000 px) meanwhile. */
    Path fullPageScreenshot(String name) throws IOException {
        Dimension window = driver.manage().window().getSize();
        driver.executeScript("window.scrollTo(0, 0)");
        long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(3000, Math.max(height,
                window.getHeight()))));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** Every message the pages wrote to the browser console so far (errors, CSP violations, …). */
    List<String> consoleMessages() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            consoleMessages.add(entry.getLevel() + " " + entry.getMessage());
        }
        return List.copyOf(consoleMessages);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /**
     * Takes a screenshot (and keeps the page's HTML) of whatever the browser shows when a test fails:
     * {@code target/console-screenshots/FAILED-<test>.png}.
     */
    static final class ScreenshotOnFailure implements TestWatcher {

        private static ConsoleBrowser browser;

        static void watch(ConsoleBrowser watched) {
            browser = watched;
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            Optional.ofNullable(browser).ifPresent(b -> {
                String name = "FAILED-" + context.getRequiredTestMethod().getName();
                try {
                    b.screenshot(name);
                    Files.writeString(SCREENSHOTS.resolve(name + ".html"), b.driver.getPageSource());
                } catch (IOException | RuntimeException e) {
                    cause.addSuppressed(e);
                }
            });
        }
    }
}
