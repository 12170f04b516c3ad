package dev.optbench.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromedriver, which {@code ./optbench test}
 * installs when missing): the run list, a run's page with its charts, a filter that redraws them, the page
 * following a running run without reloading, and the compare page.
 */
@QuarkusTest
@WithTestResource(TestDatabase.class)
class DashboardBrowserTest {
    private static final String TOKEN = "viz-browser-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final RunFixture RUN = RunFixture.standard(TOKEN + " live", TOKEN, NOW, "de3ff81", 1.0);
    private static final RunFixture EARLIER = RunFixture.standard(TOKEN + " earlier", TOKEN, NOW.minus(1, ChronoUnit.DAYS),
            "de3ff81", 0.9).finished("COMPLETED");
    private static final Path SCREENSHOTS = Path.of("target", "browser");

    private static ChromeDriverService service;
    private static WebDriver browser;
    private static Path profile;

    @TestHTTPResource("/")
    URL dashboard;

    @BeforeAll
    static void startBrowser() throws Exception {
        TestDatabase.insert(EARLIER, RUN);
        File driver = new File(System.getenv().getOrDefault("OPTBENCH_CHROMEDRIVER", "/usr/bin/chromedriver"));
        File chromium = new File(System.getenv().getOrDefault("OPTBENCH_CHROMIUM", "/usr/bin/chromium"));
        assertTrue(driver.canExecute() && chromium.canExecute(), "the browser test needs Debian's chromium and "
                + "chromium-driver (./optbench test installs them): " + driver + ", " + chromium);
        profile = Files.createTempDirectory("optbench-chromium-");
        service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1800", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            TestDatabase.delete(EARLIER, RUN);
        }
    }

    @Test
    void opensARunSwitchesAFilterAndFollowsTheRun() throws Exception {
        browser.get(dashboard + "?q=" + TOKEN);
        List<WebElement> links = browser.findElements(By.cssSelector("a.run-link"));
        assertEquals(List.of(RUN.name, EARLIER.name), links.stream().map(WebElement::getText).toList(), "newest first");

        links.getFirst().click();
        waitUntil("the run page shows", d -> d.getTitle().startsWith(RUN.name));
        WebElement comparison = browser.findElement(By.cssSelector("figure[data-chart=comparison] img"));
        waitUntil("the comparison chart has loaded", d -> loaded(comparison));
        assertTrue(browser.findElement(By.id("trials")).getText().contains("llama-server exited with status 1 before /health"));

        WebElement kvQ8 = browser.findElement(By.cssSelector(".variant-filter[value='kv-q8']"));
        kvQ8.click();
        waitUntil("the charts are drawn again without kv-q8", d -> comparison.getAttribute("src").contains("variants=")
                && !comparison.getAttribute("src").contains("kv-q8") && loaded(comparison));
        String csv = browser.findElement(By.cssSelector("figure[data-chart=comparison] a[data-format=csv]")).getAttribute("href");
        assertTrue(csv.contains("variants=") && !csv.contains("kv-q8"), "downloads follow the filter: " + csv);

        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        String before = browser.findElement(By.id("run-progress")).getText();
        try (Connection connection = TestDatabase.connect();
             PreparedStatement progress = connection.prepareStatement("UPDATE trial SET samples_done = 15 WHERE run_id = ? AND status = 'RUNNING'")) {
            progress.setObject(1, RUN.runId);
            assertEquals(1, progress.executeUpdate());
        }
        // Six finished trials of 20 samples each, the running one now at 15 of 20, the failed one at 0.
        assertTrue(before.contains("127 of 160 samples"), before);
        waitUntil("the page shows the running trial's progress", d ->
                d.findElement(By.id("run-progress")).getText().contains("135 of 160 samples"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"),
                "the page updated itself without a reload");
        waitUntil("the charts are drawn again for the new state", d -> comparison.getAttribute("src").contains("version=") && loaded(comparison));

        byte[] screenshot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve("run-page.png"), screenshot);
        assertNotBlank(screenshot);
    }

    @Test
    void comparesTwoRunsChosenOnTheList() throws Exception {
        browser.get(dashboard + "?q=" + TOKEN);
        for (WebElement box : browser.findElements(By.cssSelector("#runs input[name=runs]"))) {
            box.click();
        }
        browser.findElement(By.id("compare-button")).click();
        waitUntil("the compare page shows", d -> d.getTitle().startsWith("Compare runs"));
        WebElement comparison = browser.findElement(By.cssSelector("figure[data-chart=comparison] img"));
        waitUntil("the compared runs' chart has loaded", d -> loaded(comparison));
        assertTrue(comparison.getAttribute("src").contains(RUN.runId.toString())
                && comparison.getAttribute("src").contains(EARLIER.runId.toString()));
        byte[] screenshot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve("compare-page.png"), screenshot);
        assertNotBlank(screenshot);
    }

    private static boolean loaded(WebElement image) {
        Object width = ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth;", image);
        return width instanceof Number number && number.intValue() > 0;
    }

    private static void waitUntil(String what, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(what).until(condition::apply);
    }

    /** A screenshot with charts in it has many colours and much that is not white. */
    private static void assertNotBlank(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        long drawn = 0;
        long all = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                all++;
                if (rgb != 0xFFFFFF && rgb != 0xFAFBFC) {
                    drawn++;
                }
            }
        }
        assertTrue(colours.size() > 50, "a screenshot with " + colours.size() + " colours is blank");
        assertTrue(drawn > all / 20, "only " + drawn + " of " + all + " sampled pixels are not background");
    }
}
