package io.tokenlab.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser (headless Debian Chromium driven by Selenium): typing into the
 * playground shows the count the CLI gives for the same text, and swapping the BPE plugin jar shows
 * the new version in the techniques table without reloading the page.
 */
class ConsoleBrowserIT {
    private static final String TEXT = "Tokenizers split text into tokens; the console counts them like the CLI: 12345 ✓ héllo";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void playgroundCountsAsTheCliAndTheTableFollowsASwapLive(@TempDir Path home, @TempDir Path jars) throws Exception {
        assertThat(CHROMIUM).as("Debian chromium (installed by .ci/system-packages)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian chromium-driver (installed by .ci/system-packages)").isExecutable();
        Files.createDirectories(home.resolve("bundles"));
        Files.copy(TestBundles.BPE_PLUGIN, home.resolve("bundles/tokenizer-bpe.jar"));
        Files.createDirectories(home.resolve("pipelines"));
        Files.writeString(home.resolve("pipelines/encode.yaml"), "name: encode\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bpe\n    params:\n      vocabulary: cl100k_base\n");
        int cliCount = cliCount(home);

        try (ServedRuntime rt = ServedRuntime.start(home)) {
            ChromeDriver browser = chrome();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                // live updates replace table rows: a row read while it is being replaced is read again
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                browser.get(rt.base() + "/");
                wait.until(d -> new Select(d.findElement(By.id("technique"))).getOptions().stream()
                        .anyMatch(o -> o.getAttribute("value").equals("tokenizer/bpe")));
                new Select(browser.findElement(By.id("technique"))).selectByValue("tokenizer/bpe");
                WebElement vocabulary = browser.findElement(By.id("vocabulary"));
                vocabulary.clear();
                vocabulary.sendKeys("cl100k_base", Keys.TAB);
                WebElement text = browser.findElement(By.id("text"));
                text.clear();
                text.sendKeys(TEXT);
                wait.until(ExpectedConditions.textToBe(By.id("count"), Integer.toString(cliCount)));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("served"), "tokenizer/bpe 1.0.0"));

                // the coloured spans cover the text exactly and carry every id once
                List<WebElement> spans = browser.findElements(By.cssSelector("#tokens .tok"));
                StringBuilder covered = new StringBuilder();
                int ids = 0;
                for (WebElement s : spans) {
                    covered.append((String) browser.executeScript("return arguments[0].textContent", s));
                    ids += s.getAttribute("data-ids").split(" ").length;
                    assertThat(s.getAttribute("tabindex")).as("token spans are reachable by keyboard").isEqualTo("0");
                }
                assertThat(covered.toString()).isEqualTo(TEXT);
                assertThat(ids).isEqualTo(cliCount);

                // readable on a narrow window: nothing wider than the viewport
                browser.manage().window().setSize(new Dimension(360, 740));
                Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(overflow).as("horizontal overflow at 360 px").isLessThanOrEqualTo(0L);

                // a swap shows up live: same page (the marker survives), new version in the table
                browser.executeScript("window.tokenlabMarker = 'not reloaded'");
                wait.until(ExpectedConditions.attributeToBe(By.cssSelector("tr[data-technique='tokenizer/bpe']"),
                        "data-version", "1.0.0"));
                rt.deploy(TestBundles.withVersion(TestBundles.BPE_PLUGIN, jars, "1.0.50"), "tokenizer-bpe.jar");
                wait.until(ExpectedConditions.attributeToBe(By.cssSelector("tr[data-technique='tokenizer/bpe']"),
                        "data-version", "1.0.50"));
                assertThat(browser.executeScript("return window.tokenlabMarker")).isEqualTo("not reloaded");
                text.sendKeys(" more");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("served"), "tokenizer/bpe 1.0.50"));
            } finally {
                browser.quit();
            }
        }
    }

    /** The token count {@code ./tokenlab run} gives for the text: the number of ids on its one output line. */
    private static int cliCount(Path home) throws Exception {
        Process p = ServedRuntime.command(home, List.of(), "run", home.resolve("pipelines/encode.yaml").toString(),
                "--input", "-").redirectErrorStream(false).start();
        p.getOutputStream().write(TEXT.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(out).doesNotContain("\n").matches("[0-9 ]+");
        return out.split(" ").length;
    }

    private static ChromeDriver chrome() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
