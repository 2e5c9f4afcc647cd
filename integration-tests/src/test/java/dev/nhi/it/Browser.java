package dev.nhi.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The machine's headless Chromium, driven through its chromedriver (Debian packages chromium and
 * chromium-driver; .ci/run installs them). There is no skip: a missing browser fails the test. Every
 * screenshot is kept under the run's work directory.
 */
final class Browser implements AutoCloseable {
    private static final String CHROMIUM = System.getProperty("nhi.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("nhi.chromedriver", "/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    final WebDriver driver;
    private final Path userData;
    private final String name;

    private Browser(WebDriver driver, Path userData, String name) {
        this.driver = driver;
        this.userData = userData;
        this.name = name;
    }

    /** A new browser with an empty profile; {@code name} prefixes its screenshots. */
    static Browser open(String name) {
        for (String path : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException(path + " is missing: install Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver)");
            }
        }
        try {
            Path userData = Files.createTempDirectory("nhi-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            // The closed network refuses Chromium's own background connections: turn them off.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + userData);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), userData, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Browser go(String url) {
        driver.get(url);
        return this;
    }

    /** Fills Keycloak's login form, which the page redirected to. */
    Browser login(String username, String password) {
        await(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        return this;
    }

    WebElement await(By by) {
        return until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null),
                "an element " + by);
    }

    /** Waits until the element's text content contains {@code text}. */
    WebElement awaitText(By by, String text) {
        return until(d -> d.findElements(by).stream().filter(e -> textOf(e).contains(text)).findFirst().orElse(null),
                "'" + text + "' in " + by);
    }

    String textOf(WebElement element) {
        return String.valueOf(((JavascriptExecutor) driver).executeScript("return arguments[0].textContent", element));
    }

    <T> T until(Function<WebDriver, T> condition, String what) {
        try {
            // The console re-renders its pages: an element found a moment ago may have been replaced.
            return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition::apply);
        } catch (RuntimeException e) {
            screenshot("failed");
            try {
                Files.writeString(screenshotFile("failed").resolveSibling(name + "-failed.html"), driver.getPageSource());
            } catch (IOException ignored) {
                // the screenshot and the message below still tell what happened
            }
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + " at " + driver.getCurrentUrl()
                    + "; the page said: " + ((JavascriptExecutor) driver).executeScript("return document.body.innerText"), e);
        }
    }

    void click(By by) {
        await(by).click();
    }

    void type(By by, String text) {
        WebElement field = await(by);
        field.clear();
        field.sendKeys(text);
    }

    /** Saves a PNG under {@code <work dir>/screenshots/<browser>-<step>.png}; answers its path. */
    Path screenshot(String step) {
        Path file = screenshotFile(step);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private Path screenshotFile(String step) {
        return Path.of(System.getProperty("nhi.work.dir")).resolve("screenshots").resolve(name + "-" + step + ".png");
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(userData)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
