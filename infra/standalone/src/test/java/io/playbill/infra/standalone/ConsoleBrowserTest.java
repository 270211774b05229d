package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.events;
import static io.playbill.infra.standalone.EndToEndPlatform.renew;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against the real platform (the JVM's shared one): after a scripted
 * history on the queue {@code arcade} (a price, deposits, two sessions with renews), finance signs in and sees the
 * revenue, playtime and sessions the ledger recorded; downloads the revenue CSV; makes a deposit through the admin
 * form, twice with one reference, and sees the one idempotent answer; the player's page shows the new balance. The
 * identity-provider sign-in (OIDC code flow with PKCE) and the error and empty states are driven too. Screenshots
 * of each page land in {@code target/console-screenshots/} (docs/console/ keeps copies), and of the page a test
 * failed on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith({EndToEndPlatform.class, ConsoleBrowser.ScreenshotOnFailure.class})
class ConsoleBrowserTest {

    private static final String QUEUE = "arcade";
    private static final long PRICE_PER_MINUTE = 600;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static String gateway;
    private static ConsoleBrowser browser;
    private static ChromeDriver driver;
    private static String run;
    private static String playerA;
    private static String playerB;
    private static long revenue;
    private static long playtimeSeconds;

    @BeforeAll
    static void scriptAHistoryAndOpenTheBrowser() throws Exception {
        browser = ConsoleBrowser.start();
        driver = browser.driver();
        ConsoleBrowser.ScreenshotOnFailure.watch(browser);
        gateway = EndToEndPlatform.gateway();
        run = UUID.randomUUID().toString().substring(0, 6);
        playerA = "con-a-" + run;
        playerB = "con-b-" + run;

        EndToEndPlatform.price(QUEUE, PRICE_PER_MINUTE);
        deposit(playerA, 1000);
        deposit(playerB, 1000);
        play(playerA, 2_200);
        play(playerB, 3_200);
        String admin = EndToEndPlatform.admin();
        assertThat(send("POST", gateway + "/api/admin/accounts/" + playerB + "/refunds", admin, "{\"amount\":100,"
                + "\"reference\":\"refund-" + run + "\",\"reason\":\"game crashed\"}").status()).isEqualTo(200);
        assertThat(send("POST", gateway + "/api/admin/accounts/" + playerB + "/adjustments", admin, "{\"amount\":50,"
                + "\"reference\":\"adjust-" + run + "\",\"reason\":\"goodwill\"}").status()).isEqualTo(200);
        for (String user : List.of(playerA, playerB)) {
            for (JsonNode event : events(user)) {
                if (event.has("secondsCharged") && QUEUE.equals(event.path("queue").asText())) {
                    revenue += event.get("amount").asLong();
                    playtimeSeconds += event.get("secondsCharged").asLong();
                }
            }
        }
        assertThat(revenue).as("the scripted sessions were charged").isPositive();
        long balanceA = 1000 - chargedTo(playerA);
        long balanceB = 1000 - chargedTo(playerB) - 100 + 50;
        awaitApi("/api/finance/users/" + playerA + "/account", account -> account.path("balance").asLong() == balanceA);
        awaitApi("/api/finance/users/" + playerB + "/account", account -> account.path("balance").asLong() == balanceB);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            try {
                assertThat(browser.consoleMessages()).as("no page broke its Content-Security-Policy, threw or missed a file")
                        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Uncaught")
                                || m.contains("status of 401") || m.contains("status of 404"));
            } finally {
                browser.close();
            }
        }
    }

    @Test
    @Order(1)
    void financeSignsInAndSeesTheRevenueOfTheScriptedHistory() throws Exception {
        driver.get(gateway + "/console/");
        waitFor(By.id("dev-sign-in"));
        browser.fullPageScreenshot("sign-in");
        devSignIn("fiona-" + run, true, true);

        showFinance(QUEUE);

        awaitValue(By.id("revenue-total"), revenue);
        awaitValue(By.id("playtime-total"), playtimeSeconds);
        awaitValue(By.id("sessions-total"), 2);
        assertThat(driver.findElements(By.cssSelector("#revenue-chart canvas"))).as("ECharts drew the chart")
                .isNotEmpty();
        assertThat(driver.findElement(By.id("revenue-chart")).getAttribute("aria-label"))
                .as("the chart describes itself to screen readers").contains(QUEUE);
        assertThat(driver.findElements(By.cssSelector("#revenue-table tbody tr"))).isNotEmpty()
                .allSatisfy(row -> assertThat(row.getText()).contains(QUEUE));
        waitFor(By.cssSelector("#liability-table"));
        browser.fullPageScreenshot("finance");
    }

    @Test
    @Order(2)
    void theRevenueDownloadsAsCsvWithTheSameTotal() throws Exception {
        driver.findElement(By.cssSelector("#revenue button[data-csv]")).click();

        Path csv = awaitDownload("revenue-");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("period,queue,revenue,playtimeSeconds,sessions");
        long total = lines.stream().skip(1).map(line -> line.split(","))
                .filter(cells -> cells[1].equals(QUEUE)).mapToLong(cells -> Long.parseLong(cells[2])).sum();
        assertThat(total).isEqualTo(revenue);
    }

    @Test
    @Order(3)
    void anEmptyRangeAndARefusedPriceAreShownNotBlank() {
        // A page name that is one of Object's built-ins is an unknown page like any other (no script error).
        driver.get(gateway + "/console/#/constructor");
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlMatches("/console/#/finance$"));
        showFinance("nothing-" + run);
        waitForText(By.id("revenue"), "No revenue or playtime in this range.");

        driver.findElement(By.cssSelector("#nav a[data-page=admin]")).click();
        setValue(waitFor(By.id("price-queue")), "nowhere");
        setValue(driver.findElement(By.id("price-value")), "10");
        driver.findElement(By.cssSelector("#price-form button[type=submit]")).click();
        waitForText(By.id("prices"), "unknown_queue");
        assertThat(driver.findElement(By.cssSelector("#prices [role=alert]")).getText())
                .as("the API's message, which names the queues there are").contains(QUEUE);
    }

    @Test
    @Order(4)
    void aDepositThroughTheAdminFormIsAnsweredOnceAndThePlayerSeesTheNewBalance() throws Exception {
        long before = 1000 - chargedTo(playerA);
        String reference = "console-e2e-" + run;
        driver.get(gateway + "/console/#/admin");
        waitFor(By.id("money"));
        new Select(driver.findElement(By.id("money-operation"))).selectByValue("deposits");
        setValue(driver.findElement(By.id("money-user")), playerA);
        setValue(driver.findElement(By.id("money-amount")), "500");
        setValue(driver.findElement(By.id("money-reference")), reference);
        driver.findElement(By.id("money-submit")).click();
        awaitValue(By.id("money-balance"), before + 500);

        driver.findElement(By.id("money-submit")).click();
        waitForText(By.id("money-result"), "applied it once and answered the same");
        awaitValue(By.id("money-balance"), before + 500);
        assertThat(driver.findElements(By.cssSelector("#money-answers tbody tr"))).hasSize(2)
                .allSatisfy(row -> assertThat(row.getText()).contains(reference));
        waitFor(By.id("prices-history"));
        setValue(driver.findElement(By.id("audit-user")), playerA);
        driver.findElement(By.cssSelector("#audit-form button[type=submit]")).click();
        waitForText(By.id("audit-result"), "Clean: no findings.");
        browser.fullPageScreenshot("admin");
        long deposits = send("GET", gateway + "/api/finance/users/" + playerA + "/statement",
                EndToEndPlatform.admin(), null).body().get("items").findValuesAsText("reference").stream()
                .filter(reference::equals).count();
        assertThat(deposits).as("one deposit for the reference sent twice").isEqualTo(1);

        driver.findElement(By.id("sign-out")).click();
        WebElement user = waitFor(By.cssSelector("#dev-sign-in input[name=user]"));
        setValue(user, playerA);
        setChecked(By.id("role-admin"), false);
        setChecked(By.id("role-finance"), false);
        user.sendKeys(Keys.ENTER);
        waitFor(By.id("refresh-account"));
        new WebDriverWait(driver, WAIT).until(d -> {
            List<WebElement> balance = d.findElements(By.id("me-balance"));
            if (!balance.isEmpty() && String.valueOf(before + 500).equals(balance.get(0).getAttribute("data-value"))) {
                return true;
            }
            d.findElement(By.id("refresh-account")).click();
            return false;
        });
        long seconds = (before + 500) * 60 / PRICE_PER_MINUTE;
        waitFor(By.cssSelector("#playtime-left-table"));
        assertThat(driver.findElements(By.cssSelector("#playtime-left-table tbody tr")).stream()
                .filter(row -> row.getText().startsWith(QUEUE)).map(row -> row.findElement(By.cssSelector("td:last-child [data-value]"))
                        .getAttribute("data-value")).toList()).containsExactly(String.valueOf(seconds));
        waitForText(By.id("statement"), reference);
        // A statement longer than the page shows keeps its latest lines, not its oldest (the console's lastItems,
        // here with room for one line, read newest first by keyset): the player's newest line is the deposit just
        // sent, and it says that older lines exist.
        @SuppressWarnings("unchecked")
        Map<String, Object> latest = (Map<String, Object>) driver.executeAsyncScript("const done = arguments[0];"
                + "import('./js/api.js').then((api) => api.lastItems('/api/me/statement', 1)).then((statement) =>"
                + " done({lines: statement.items.length, more: statement.more,"
                + " reference: statement.items[0].reference}), (e) => done({error: String(e)}));");
        assertThat(latest).as(String.valueOf(latest)).containsEntry("lines", 1L).containsEntry("reference", reference)
                .containsEntry("more", true);
        // The statement's CSV follows the cursor in the Next-After header, which the gateway passes on.
        @SuppressWarnings("unchecked")
        Map<String, Object> csvPage = (Map<String, Object>) driver.executeAsyncScript("const done = arguments[0];"
                + "import('./js/auth.js').then((auth) => fetch('/api/me/statement?order=asc&size=1', {headers:"
                + " {Accept: 'text/csv', Authorization: `Bearer ${auth.storedToken()}`}})).then((r) =>"
                + " done({status: r.status, next: r.headers.get('Next-After')}), (e) => done({error: String(e)}));");
        assertThat(csvPage).as(String.valueOf(csvPage)).containsEntry("status", 200L);
        assertThat(csvPage.get("next")).as(String.valueOf(csvPage)).isNotNull();
        long lines = send("GET", gateway + "/api/finance/users/" + playerA + "/statement", EndToEndPlatform.admin(),
                null).body().get("total").asLong();
        driver.findElement(By.cssSelector("#statement button[data-csv]")).click();
        List<String> statementCsv = Files.readAllLines(awaitDownload("my-statement"));
        assertThat(statementCsv.get(0)).startsWith("sequence,occurredAt,kind,amount,balanceAfter,");
        assertThat(statementCsv).hasSize((int) lines + 1).filteredOn(line -> line.contains(reference)).hasSize(1);
        browser.fullPageScreenshot("player");

        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            Number overflow = (Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow.longValue()).as("the page fits a phone's width (tables scroll on their own)")
                    .isLessThanOrEqualTo(0);
            browser.screenshot("player-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    /**
     * A deposit whose answer never came (here the browser is offline as it is sent) may or may not have been
     * applied. The clerk looks at another page and comes back: the form offers the same deposit again, with its
     * reference (it was drawn with a new one, and the retry was a second payment if the first had landed), and sent
     * again it is applied once. Once answered, another payment gets a reference of its own.
     */
    @Test
    @Order(5)
    void aDepositWithoutAnAnswerIsOfferedAgainWithItsReference() throws Exception {
        driver.get(gateway + "/console/");
        if (!driver.findElements(By.id("sign-out")).isEmpty() && driver.findElement(By.id("sign-out")).isDisplayed()) {
            driver.findElement(By.id("sign-out")).click();
        }
        devSignIn("clerk-" + run, false, true);
        driver.get(gateway + "/console/#/admin");
        waitFor(By.id("money"));
        setValue(driver.findElement(By.id("money-user")), playerB);
        setValue(driver.findElement(By.id("money-amount")), "70");
        String reference = driver.findElement(By.id("money-reference")).getDomProperty("value");
        offline(true);
        try {
            driver.findElement(By.id("money-submit")).click();
            waitForText(By.id("money-result"), "network_error");
        } finally {
            offline(false);
        }

        driver.findElement(By.cssSelector("#nav a[data-page=finance]")).click();
        waitFor(By.id("finance-filters"));
        driver.findElement(By.cssSelector("#nav a[data-page=admin]")).click();
        waitForText(By.id("money-result"), "got no answer");
        assertThat(driver.findElement(By.id("money-reference")).getDomProperty("value")).isEqualTo(reference);
        assertThat(driver.findElement(By.id("money-user")).getDomProperty("value")).isEqualTo(playerB);
        assertThat(driver.findElement(By.id("money-amount")).getDomProperty("value")).isEqualTo("70");
        driver.findElement(By.id("money-submit")).click();
        waitFor(By.id("money-balance"));
        awaitApi("/api/finance/users/" + playerB + "/statement", statement -> statement.get("items")
                .findValuesAsText("reference").contains(reference));

        setValue(driver.findElement(By.id("money-user")), playerA);
        assertThat(driver.findElement(By.id("money-reference")).getDomProperty("value"))
                .as("a payment to someone else is not a repeat of the one answered").isNotEqualTo(reference);
        driver.findElement(By.cssSelector("#nav a[data-page=finance]")).click();
        waitFor(By.id("finance-filters"));
        driver.findElement(By.cssSelector("#nav a[data-page=admin]")).click();
        waitFor(By.id("money-answers"));
        assertThat(driver.findElement(By.id("money-result")).getText()).as("settled").isEmpty();
        assertThat(driver.findElements(By.cssSelector("#money-answers tbody tr"))).singleElement()
                .satisfies(row -> assertThat(row.getText()).contains(reference));
    }

    /** Chromium's network emulation: offline, every request fails as if the network were gone. */
    private static void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    @Test
    @Order(6)
    void staffSignInThroughTheIdentityProviderWithPkce() throws Exception {
        TestIdentityProvider provider = EndToEndPlatform.identityProvider();
        int issued = provider.tokensIssued();
        provider.signInNextAs("olga-" + run, List.of("finance"));
        driver.get(gateway + "/console/");
        if (!driver.findElements(By.id("sign-out")).isEmpty() && driver.findElement(By.id("sign-out")).isDisplayed()) {
            driver.findElement(By.id("sign-out")).click();
        }
        // A crafted link's words never reach the page: only a fixed message, for a sign-in nobody started here.
        driver.get(gateway + "/console/?error=session_expired&error_description=Paste+your+token+at+evil.example");
        waitForText(By.id("sign-in-status"), "invalid_state");
        assertThat(driver.findElement(By.id("sign-in-status")).getText()).doesNotContain("evil.example", "Paste");
        waitFor(By.id("oidc-sign-in")).click();

        waitForText(By.id("who-name"), "olga-" + run + " (finance)");
        assertThat(provider.tokensIssued()).isEqualTo(issued + 1);
        assertThat(driver.getCurrentUrl()).as("the code is gone from the address bar").doesNotContain("code=")
                .endsWith("/console/#/finance");
        waitFor(By.id("finance-filters"));
        assertThat(driver.findElements(By.cssSelector("#nav a[data-page=admin]")).get(0).isDisplayed()).isTrue();
    }

    /**
     * An open page is signed out when its token expires. It went on showing the player's balance and statement until
     * its next call, however long after the expiry that was.
     */
    @Test
    @Order(7)
    void anOpenPageIsSignedOutWhenItsTokenExpires() {
        driver.get(gateway + "/console/");
        driver.executeScript("sessionStorage.removeItem('playbill.console.token')");
        driver.navigate().refresh();
        String player = "leaving-" + run;
        setValue(waitFor(By.cssSelector("#paste-token textarea[name=token]")),
                DevCredentials.userToken(player, List.of(), Duration.ofSeconds(6)));
        driver.findElement(By.cssSelector("#paste-token button[type=submit]")).click();
        waitForText(By.id("who-name"), player);

        new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("paste-token")));

        assertThat(driver.findElement(By.id("who")).isDisplayed()).as("nobody is named signed in").isFalse();
        assertThat(driver.findElement(By.id("main")).getText()).contains("Your sign-in has expired");
        assertThat(driver.executeScript("return sessionStorage.getItem('playbill.console.token')"))
                .as("the token is gone").isNull();
    }

    private static void play(String user, long playMillis) throws InterruptedException, IOException {
        String token = EndToEndPlatform.player(user);
        String session = "c" + UUID.randomUUID().toString().replace("-", "");
        assertThat(send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=" + QUEUE, token, null)
                .status()).isEqualTo(200);
        assertThat(send("POST", gateway + "/api/game/start", token,
                "{\"session\":\"" + session + "\",\"queue\":\"" + QUEUE + "\"}").status()).isEqualTo(200);
        long deadline = renew(token, session, 0);
        Thread.sleep(playMillis / 2);
        deadline = renew(token, session, deadline);
        Thread.sleep(playMillis / 2);
        renew(token, session, deadline);
        assertThat(send("POST", gateway + "/api/game/stop", token, "{\"session\":\"" + session + "\"}").status())
                .isEqualTo(200);
    }

    private static long chargedTo(String user) {
        try {
            return events(user).stream().filter(e -> e.has("secondsCharged")).mapToLong(e -> e.get("amount").asLong())
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) until the projections show what the ledger recorded. */
    private static void awaitApi(String path, Function<JsonNode, Boolean> done) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < until) {
            last = send("GET", gateway + path, EndToEndPlatform.admin(), null).body();
            if (done.apply(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not catch up within " + WAIT + ": " + last);
    }

    private static void devSignIn(String user, boolean admin, boolean finance) {
        setValue(waitFor(By.cssSelector("#dev-sign-in input[name=user]")), user);
        setChecked(By.id("role-admin"), admin);
        setChecked(By.id("role-finance"), finance);
        driver.findElement(By.cssSelector("#dev-sign-in button[type=submit]")).click();
        waitForText(By.id("who-name"), user);
    }

    /**
     * Shows the Finance page for one queue: Show is disabled while a load runs (the page's own first one too, so that
     * its older answers cannot overwrite the chosen range's), so this waits until it is enabled.
     */
    private static void showFinance(String queue) {
        WebElement show = new WebDriverWait(driver, WAIT)
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#finance-filters button[type=submit]")));
        setValue(driver.findElement(By.cssSelector("#finance-filters input[name=queue]")), queue);
        show.click();
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private static void waitForText(By locator, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
    }

    /** Waits until the element shows exactly this number (its data-value, what the page rendered). */
    private static void awaitValue(By locator, long expected) {
        new WebDriverWait(driver, WAIT).withMessage(() -> locator + " should show " + expected).until(d -> {
            List<WebElement> found = d.findElements(locator);
            return !found.isEmpty() && String.valueOf(expected).equals(found.get(0).getAttribute("data-value"));
        });
    }

    private static void setValue(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }

    private static void setChecked(By locator, boolean checked) {
        WebElement box = driver.findElement(locator);
        if (box.isSelected() != checked) {
            box.click();
        }
    }

    private static Path awaitDownload(String prefix) {
        return new WebDriverWait(driver, WAIT).withMessage("no " + prefix + "*.csv downloaded").until(d -> {
            try (Stream<Path> files = Files.list(browser.downloads())) {
                return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                        && f.getFileName().toString().endsWith(".csv")).findFirst().orElse(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
