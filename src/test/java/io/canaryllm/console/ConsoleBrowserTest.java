package io.canaryllm.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryllm.testing.Browser;
import io.canaryllm.testing.FakeUpstream;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (headless Chromium): sign in, each page doing its job against the running gateway,
 * sign out. Calls are made through mock/echo and the fake OpenAI upstream, then looked for on the pages; each page's
 * screenshot lands in target/console-screenshots/. The tests run in order in one browser: the session carries over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static ChromeDriver driver;
    private static String sessionCookie;
    private final TestGateway gw = TestGateway.get();

    @BeforeEach
    void browser() {
        Browser.assumeInstalled();
        if (driver == null) driver = Browser.start();
    }

    @AfterAll
    static void close() {
        if (driver != null) driver.quit();
    }

    private WebElement await(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void awaitText(By by, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Loads the page afresh (a change of hash alone would not reload when the page is already shown). */
    private void open(String page) {
        driver.get(gw.baseUrl + "/console#" + page);
        driver.navigate().refresh();
        await(By.id("page-" + page));
    }

    private void screenshot(String name) {
        assertTrue(Files.isRegularFile(Browser.screenshot(driver, name)));
    }

    /** A fresh key through the admin API (not the page), for calls whose traces the pages must show. */
    private JsonNode newKey(String name) throws Exception {
        HttpResponse<String> r = gw.post("/admin/keys", "{\"name\":\"" + name + "\"}", "Authorization", "Bearer " + TestGateway.MASTER_KEY);
        assertEquals(201, r.statusCode(), r.body());
        return TestGateway.json(r.body());
    }

    private HttpResponse<String> echo(String secret, String text, String requestId) throws Exception {
        return gw.post("/v1/chat/completions", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}",
                "Authorization", "Bearer " + secret, "x-request-id", requestId);
    }

    /** Waits until the ledger holds {@code n} rows of the key (it writes in batches). */
    private JsonNode awaitRows(String keyId, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = TestGateway.json(gw.get("/admin/usage?key_id=" + keyId, "Authorization", "Bearer " + TestGateway.MASTER_KEY).body());
            if (last.path("data").size() >= n) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + n + " ledger rows for " + keyId + ": " + last);
    }

    @Test
    @Order(1)
    void signInRefusesAWrongKeyAndSetsAnHttpOnlyStrictCookie() {
        driver.get(gw.baseUrl + "/console");
        await(By.id("signin-form"));
        driver.findElement(By.id("master-key")).sendKeys("wrong key");
        driver.findElement(By.id("signin-button")).click();
        awaitText(By.id("signin-error"), "not the master key");
        assertFalse(driver.findElement(By.id("app")).isDisplayed(), "still signed out");
        screenshot("signin");

        driver.findElement(By.id("master-key")).sendKeys(TestGateway.MASTER_KEY);
        driver.findElement(By.id("signin-button")).click();
        await(By.id("page-keys"));
        Cookie cookie = driver.manage().getCookieNamed(ConsoleDoor.COOKIE);
        assertTrue(cookie.isHttpOnly(), "the page's script cannot read the session");
        assertEquals("Strict", cookie.getSameSite());
        assertEquals("/", cookie.getPath());
        assertFalse(cookie.isSecure(), "plain http in the test");
        assertEquals(null, ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.cookie.match(/canary_console/)"),
                "not in document.cookie");
        sessionCookie = cookie.getValue();
    }

    @Test
    @Order(2)
    void keysAreCreatedShownOnceLimitedAndRevoked() throws Exception {
        open("keys");
        String name = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        driver.findElement(By.id("new-key-name")).sendKeys(name);
        driver.findElement(By.id("create-key")).click();
        String secret = await(By.id("new-key-secret")).getText();
        assertTrue(secret.matches("clk_live_[0-9A-Za-z]{32}"), secret);
        awaitText(By.id("keys-table"), name);
        screenshot("keys");
        assertEquals(200, gw.get("/v1/models", "Authorization", "Bearer " + secret).statusCode(), "the key shown works");

        // shown once: after a reload the page has the key's row but not its secret
        driver.navigate().refresh();
        awaitText(By.id("keys-table"), name);
        assertFalse(driver.getPageSource().contains(secret), "the secret is not shown again");
        assertFalse(driver.findElement(By.id("new-key")).isDisplayed());
        assertFalse(driver.findElement(By.id("limits-form")).isDisplayed(), "the limits form opens only for a key");

        String id = keyId(name);
        By row = By.cssSelector("tr[data-key-id='" + id + "']");
        driver.findElement(row).findElement(By.cssSelector("[data-action=limits]")).click();
        await(By.id("limits-form"));
        assertEquals(name, driver.findElement(By.id("limits-name")).getText());
        driver.findElement(By.id("limit-rpm")).sendKeys("7");
        driver.findElement(By.id("limit-budget")).sendKeys("2.5");
        new Select(driver.findElement(By.id("limit-period"))).selectByValue("daily");
        driver.findElement(By.id("limits-save")).click();
        awaitText(row, "7 req/min");
        awaitText(row, "$2.50 daily");
        JsonNode saved = TestGateway.json(gw.get("/admin/keys/" + id, "Authorization", "Bearer " + TestGateway.MASTER_KEY).body());
        assertEquals(7, saved.path("rpm").asInt());
        assertEquals("2.50", saved.path("budget").path("amount").asText());
        assertEquals("daily", saved.path("budget").path("period").asText());
        assertFalse(driver.findElement(By.id("limits-form")).isDisplayed(), "closed once saved");
        screenshot("keys-limits");

        driver.findElement(row).findElement(By.cssSelector("[data-action=revoke]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(ExpectedConditions.alertIsPresent()).accept();
        awaitText(By.cssSelector("tr[data-key-id='" + id + "'] .key-state"), "revoked");
        assertEquals(401, gw.get("/v1/models", "Authorization", "Bearer " + secret).statusCode(), "a revoked key is refused");
    }

    @Test
    @Order(3)
    void aKeyNamedWithMarkupIsShownAsText() throws Exception {
        String name = "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>";
        String body = new ObjectMapper().createObjectNode().put("name", name).toString();
        HttpResponse<String> r = gw.post("/admin/keys", body, "Authorization", "Bearer " + TestGateway.MASTER_KEY);
        assertEquals(201, r.statusCode(), r.body());
        open("keys");
        awaitText(By.id("keys-table"), name);
        assertTrue(driver.findElements(By.cssSelector("#keys-table img, #keys-table b")).isEmpty(), "no element made from the name");
        assertEquals("CanaryLLM console", driver.getTitle(), "no script ran");
        screenshot("keys-markup-name");
    }

    private String keyId(String name) throws Exception {
        for (JsonNode k : TestGateway.json(gw.get("/admin/keys", "Authorization", "Bearer " + TestGateway.MASTER_KEY).body()).path("data")) {
            if (k.path("name").asText().equals(name)) return k.path("id").asText();
        }
        throw new AssertionError("no key " + name);
    }

    @Test
    @Order(4)
    void usageShowsTheCallsOfAKeyByDayModelAndKeyInChartsAndTables() throws Exception {
        JsonNode key = newKey("usage-" + UUID.randomUUID().toString().substring(0, 8));
        String id = key.path("id").asText();
        for (int i = 0; i < 3; i++) assertEquals(200, echo(key.path("key").asText(), "count me " + i, "usage-" + i + "-" + id).statusCode());
        gw.fake.reset();
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "priced answer"));
        assertEquals(200, gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Authorization", "Bearer " + key.path("key").asText()).statusCode());
        awaitRows(id, 4);

        open("usage");
        // the key's row in the by-key table: its 4 calls
        By keyRow = By.xpath("//table[@id='usage-key']//tr[td[contains(., '" + id + "')]]");
        WebElement row = await(keyRow);
        assertEquals("4", row.findElements(By.tagName("td")).get(1).getText(), row.getText());
        awaitText(By.id("usage-model"), "mock/echo");
        awaitText(By.id("usage-model"), "openai/gpt-4.1");
        List<WebElement> dayBars = driver.findElements(By.cssSelector("#chart-day svg rect.bar"));
        assertFalse(dayBars.isEmpty(), "a bar per day");
        assertTrue(driver.findElement(By.id("chart-model")).getText().contains("openai/gpt-4.1"), "the spend chart names the priced model");
        assertEquals(driver.findElements(By.cssSelector("#usage-key tbody tr")).size(),
                driver.findElements(By.cssSelector("#chart-key svg rect.bar")).size(), "a bar per key of the table");
        assertTrue(driver.findElement(By.id("usage-totals")).getText().matches("\\d+ requests, .*"));
        screenshot("usage");
    }

    @Test
    @Order(5)
    void providersShowEveryDeploymentsLiveState() throws Exception {
        gw.fake.reset();
        gw.fake.enqueue("openai", FakeUpstream.completion("gpt-4.1", "state"));
        assertEquals(200, gw.chat("{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
        JsonNode api = TestGateway.json(gw.get("/admin/deployments", "Authorization", "Bearer " + TestGateway.MASTER_KEY).body());
        JsonNode openai = null;
        for (JsonNode d : api.path("data")) if (d.path("name").asText().equals("openai")) openai = d;
        assertTrue(openai != null && openai.path("calls").asLong() >= 1 && openai.path("first_byte_ewma_ms").isNumber(), String.valueOf(openai));

        open("providers");
        By row = By.cssSelector("tr[data-deployment='openai']");
        await(row);
        assertEquals("closed", driver.findElement(row).findElement(By.className("breaker")).getText());
        List<WebElement> cells = driver.findElement(row).findElements(By.tagName("td"));
        assertTrue(Long.parseLong(cells.get(5).getText()) >= 1, "calls: " + cells.get(5).getText());
        assertTrue(cells.get(9).getText().endsWith(" ms"), "EWMA first byte: " + cells.get(9).getText());
        assertEquals(api.path("data").size(), driver.findElements(By.cssSelector("#deployments-table tbody tr")).size(),
                "one row per deployment");
        await(By.cssSelector("tr[data-deployment='mock']"));
        screenshot("providers");
    }

    @Test
    @Order(6)
    void theRequestLogShowsLedgerRowsButNoPromptText() throws Exception {
        JsonNode key = newKey("log-" + UUID.randomUUID().toString().substring(0, 8));
        String requestId = "console-log-" + UUID.randomUUID();
        String prompt = "confidential-" + UUID.randomUUID();
        assertEquals(200, echo(key.path("key").asText(), prompt, requestId).statusCode());
        awaitRows(key.path("id").asText(), 1);

        open("log");
        WebElement row = await(By.cssSelector("tr[data-request-id='" + requestId + "']"));
        String text = row.getText();
        assertTrue(text.contains("mock/echo") && text.contains(key.path("name").asText()), text);
        assertEquals("200", row.findElement(By.className("status")).getText());
        assertFalse(driver.getPageSource().contains(prompt), "no prompt text on the page");
        screenshot("log");
    }

    @Test
    @Order(7)
    void thePlaygroundStreamsTheAnswerWordByWord() {
        open("playground");
        driver.findElement(By.id("play-key")).sendKeys(gw.apiKey);
        driver.findElement(By.id("play-load-models")).click();
        awaitText(By.id("play-status"), "models");
        new Select(driver.findElement(By.id("play-model"))).selectByValue("mock/echo");
        String prompt = "the quick brown fox jumps over the lazy dog";
        driver.findElement(By.id("play-prompt")).sendKeys(prompt);
        driver.findElement(By.id("play-send")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.attributeToBe(By.id("play-answer"), "data-done", "true"));
        assertEquals(prompt, driver.findElement(By.id("play-answer")).getText());
        assertEquals("9", driver.findElement(By.id("play-answer")).getAttribute("data-chunks"), "one streamed chunk per word");
        screenshot("playground");
    }

    @Test
    @Order(8)
    void signingOutEndsTheSession() throws Exception {
        open("keys");
        driver.findElement(By.id("signout")).click();
        await(By.id("signin-form"));
        assertEquals(401, gw.get("/admin/keys", "Cookie", ConsoleDoor.COOKIE + "=" + sessionCookie, "X-CSRF-Token", "any").statusCode());
        driver.navigate().refresh();
        await(By.id("signin-form"));
    }
}
