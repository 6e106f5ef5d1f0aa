package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real Chromium for the page tests (Debian's chromium and chromium-driver, which .ci/run installs), and
 * what a person does on the chat page. Screenshots go to target/screenshots/.
 */
final class Browser {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** Skips the test, saying so, where no Chromium is installed. */
    static void assumeChromium() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: no Chromium at /usr/bin/chromium with /usr/bin/chromedriver "
                        + "(apt-get install chromium chromium-driver); the page was not tested in a browser");
    }

    static WebDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1100,700",
                // A hidden tab's timers as Chromium runs them for people, only sooner: the driver turns the
                // throttling off, and Chromium starts waking repeating timers once a minute after 5 minutes hidden.
                "--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/10");
        options.setExperimentalOption("excludeSwitches", List.of("disable-background-timer-throttling"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Closes the browsers that were opened (a test skipped without Chromium opened none). */
    static void quit(WebDriver... drivers) {
        for (WebDriver driver : drivers) {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    /** Signs in on the chat page as a guest and waits until the page is online. */
    static void signIn(WebDriver driver, String nickname) {
        signIn(driver, Server.http("").toString(), nickname);
    }

    /** The same through another address of the page, say a network the test can cut ({@link CuttableProxy}). */
    static void signIn(WebDriver driver, String page, String nickname) {
        driver.get(page);
        driver.findElement(By.id("nickname")).sendKeys(nickname, Keys.ENTER);
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("state"), "online"));
        assertEquals("guest-" + nickname, driver.findElement(By.id("me")).getText());
        assertFalse(driver.findElement(By.id("login")).isDisplayed(), "the sign-in form gives way to the chat");
        assertFalse(driver.findElement(By.id("composer")).isDisplayed(), "no composer before a room is open");
    }

    /** Opens the page and signs in with the account form: {@code action} is "register" or "login". */
    static void signInWithAccount(WebDriver driver, String user, String password, String action) {
        driver.get(Server.http("").toString());
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("#account button[value='" + action + "']")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("state"), "online"));
        assertEquals(user, driver.findElement(By.id("me")).getText());
    }

    static void join(WebDriver driver, String room) {
        driver.findElement(By.id("room-name")).sendKeys(room, Keys.ENTER);
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("room-title"), room));
    }

    static WebElement waitFor(WebDriver driver, By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Clicks what the locator finds once it shows and takes a click (not busy with the last one's answer). The room
     * and people lists are drawn anew on every unread count or presence change, so a button found a moment ago may
     * be gone: find it again, as a person's eye would.
     */
    static void click(WebDriver driver, By by) {
        new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement element = d.findElement(by);
            if (!element.isDisplayed() || "true".equals(element.getAttribute("aria-disabled"))) return false;
            element.click();
            return true;
        });
    }

    static void screenshot(WebDriver driver, String name) throws Exception {
        Path dir = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
