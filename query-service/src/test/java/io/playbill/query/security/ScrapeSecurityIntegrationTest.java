package io.playbill.query.security;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.support.Api;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.trust.CallerAssertion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scrape endpoint attacked over real HTTP: only the scrape token opens {@code /actuator/prometheus} (not even the
 * gateway's admin assertion does), and the scrape token opens nothing else.
 */
class ScrapeSecurityIntegrationTest extends QueryServiceTest {

    private static final String PROMETHEUS = "/actuator/prometheus";

    @Test
    void theScrapeTokenGetsTheProjectionMetrics() throws Exception {
        String user = "scraped-" + UUID.randomUUID();
        long t = 1_900_000_000_000L;
        ledger().account(user).add(new AccountOpened(user, t), new FundsDeposited(user, "d1", Money.of(10), Money.of(10), t, null));
        awaitProjections();

        Api.Response scrape = api().send("GET", PROMETHEUS, Map.of("Authorization", "Bearer " + SCRAPE_TOKEN));

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.body()).contains(
                "playbill_projection_events_applied_total{event=\"FundsDeposited\",processor=\"projections\"}",
                "playbill_projection_lag_seconds_bucket{", "playbill_projection_batch_events_count{");
    }

    @Test
    void requestsAreTimedButSpringSecurityIsNot() {
        Map<String, String> scraper = Map.of("Authorization", "Bearer " + SCRAPE_TOKEN);
        api().get("/me/account", "timed-" + UUID.randomUUID(), null);

        // A request's timer is recorded after its answer has gone out: wait for it rather than race it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api().send("GET", PROMETHEUS, scraper)
                .body()).contains("http_server_requests_seconds_count{"));
        assertThat(api().send("GET", PROMETHEUS, scraper).body())
                .as("Spring Security observes none of the requests that passed its chains")
                .doesNotContain("spring_security_");
    }

    @Test
    void withoutTheScrapeTokenTheMetricsAre401() {
        String adminAssertion = api().assertion("GET", PROMETHEUS, "ops", "admin");
        for (Map<String, String> headers : List.of(Map.<String, String>of(),
                Map.of(CallerAssertion.HEADER, adminAssertion),
                Map.of("Authorization", "Bearer " + SCRAPE_TOKEN.replace('0', '1')),
                Map.of("Authorization", "Basic " + SCRAPE_TOKEN),
                Map.of("Authorization", "Bearer " + Api.INTERNAL_KEY))) {
            Api.Response scrape = api().send("GET", PROMETHEUS, headers);
            assertThat(scrape.error()).as(headers.toString()).isEqualTo("401 unauthorized");
            assertThat(scrape.body()).doesNotContain("jvm_");
        }
    }

    @Test
    void theScrapeTokenOpensNothingElse() {
        Map<String, String> scraper = Map.of("Authorization", "Bearer " + SCRAPE_TOKEN);
        for (String path : List.of("/actuator/metrics", "/actuator/info", "/me/account",
                "/finance/liability?asOf=2030-01-15T10:00:00Z")) {
            assertThat(api().send("GET", path, scraper).error()).as(path).isEqualTo("401 unauthorized");
        }
    }
}
