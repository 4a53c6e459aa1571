package io.canaryllm.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's {@code chromium}, headless, driven through its {@code chromedriver} (both installed by .ci/run). A test
 * calls {@link #assumeInstalled()} per test: on a developer's machine without them the browser tests are skipped,
 * under {@code CI=true} they fail (as {@link Services} does for PostgreSQL and Redis).
 */
public final class Browser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where the console tests leave a screenshot of each page. */
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private Browser() {}

    public static void assumeInstalled() {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) Services.skipOrFail("no " + p + " (apt-get install chromium chromium-driver; .ci/run does)");
        }
    }

    /**
     * A new headless browser with a profile of its own. The flags: root needs --no-sandbox; containers have a small
     * /dev/shm; and the background-networking, component-update, sync and QUIC switches keep it from calling Google's
     * services, which this machine cannot reach (it would retry them forever).
     */
    public static ChromeDriver start() {
        try {
            Path profile = Files.createTempDirectory("canaryllm-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-extensions", "--window-size=1400,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}; returns the file. */
    public static Path screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
