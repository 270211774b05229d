package io.playbill.ledger;

import io.playbill.infra.test.RawHttp;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger's metrics as Prometheus scrapes them, after real requests through the broker: decisions by operation and
 * outcome, sessions ended by reason, the intake's lag per partition and batch and decision histograms; and the scrape
 * endpoint refuses anyone without the scrape token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"playbill.metrics.scrape-token=" + LedgerMetricsIntegrationTest.SCRAPE_TOKEN,
                // As an operator might: what is exposed beyond health and prometheus must stay closed.
                "management.endpoints.web.exposure.include=health,prometheus,metrics,env,loggers"})
@AutoConfigureObservability(tracing = false)
class LedgerMetricsIntegrationTest extends LedgerIntegrationTest {

    static final String SCRAPE_TOKEN = "ledger-test-scrape-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void decisionsAndSessionEndsAreCountedOnceByOutcomeAndReason() throws Exception {
        String queue = "queue-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        long now = System.currentTimeMillis();
        Map<String, Double> before = scrape();

        assertThat(ledger.request("ops", now - 60_000, new LedgerOperation.SetPrice(queue, 60)).accepted()).isTrue();
        assertThat(ledger.request(user, now - 1000, new LedgerOperation.Deposit(1000, user + "-1")).accepted()).isTrue();
        assertThat(ledger.request(user, now, new LedgerOperation.AuthorizeSession(session, queue)).accepted()).isTrue();
        assertThat(ledger.request(user, now + 1000, new LedgerOperation.StartSession(session, null)).accepted()).isTrue();
        assertThat(ledger.request(user, now + 2000, new LedgerOperation.RenewSession(session, 0)).accepted()).isTrue();
        assertThat(ledger.request(user, now + 3000, new LedgerOperation.RenewSession(session + "x", 0))
                .errorCode()).isEqualTo(LedgerError.SESSION_NOT_FOUND);
        assertThat(ledger.request(user, now + 4000, new LedgerOperation.StopSession(session)).accepted()).isTrue();

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "playbill_ledger_decisions_total{operation=\"renew\",outcome=\"accepted\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after,
                "playbill_ledger_decisions_total{operation=\"renew\",outcome=\"session_not_found\"}")).isEqualTo(1);
        assertThat(delta(before, after, "playbill_ledger_decisions_total{operation=\"set-price\",outcome=\"accepted\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "playbill_ledger_sessions_ended_total{reason=\"stopped\"}")).isEqualTo(1);
        assertThat(after).containsKeys("playbill_ledger_sessions_ended_total{reason=\"balance_exhausted\"}",
                "playbill_ledger_sessions_ended_total{reason=\"timed_out\"}");
        assertThat(delta(before, after, "playbill_ledger_intake_batch_requests_sum")).isEqualTo(7);
        assertThat(delta(before, after, "playbill_ledger_intake_decide_seconds_count")).isEqualTo(7);
        assertThat(after).containsKey("playbill_ledger_intake_decide_seconds_bucket{le=\"+Inf\"}");
    }

    @Test
    void theIntakeLagOfEveryPartitionIsPublishedAndFallsToZeroOnceAllIsDecided() {
        ledger.request("lag-" + UUID.randomUUID(), System.currentTimeMillis(),
                new LedgerOperation.Deposit(5, "lag-" + UUID.randomUUID()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> lag = new HashMap<>();
            scrape().forEach((sample, value) -> {
                if (sample.startsWith("playbill_ledger_intake_lag_records{")) {
                    lag.put(sample, value);
                }
            });
            assertThat(lag).containsKey("playbill_ledger_intake_lag_records{partition=\"0\"}");
            assertThat(lag.values()).allMatch(records -> records == 0.0);
        });
    }

    @Test
    void withoutTheScrapeTokenNothingIsScraped() throws Exception {
        for (String authorization : new String[]{null, "Bearer " + SCRAPE_TOKEN.replace('0', '9'),
                "Basic " + SCRAPE_TOKEN, SCRAPE_TOKEN}) {
            HttpResponse<String> scrape = get("/actuator/prometheus", authorization);
            assertThat(scrape.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(scrape.body()).contains("\"unauthorized\"").doesNotContain("jvm_");
        }
        assertThat(get("/actuator/health", null).statusCode()).as("probes stay open").isEqualTo(200);
    }

    @Test
    void whateverElseAnOperatorExposesIsClosed() throws Exception {
        for (String path : new String[]{"/actuator/env", "/actuator/metrics", "/actuator/loggers", "/actuator",
                "/anything"}) {
            for (String authorization : new String[]{null, "Bearer " + SCRAPE_TOKEN}) {
                HttpResponse<String> answer = get(path, authorization);
                assertThat(answer.statusCode()).as(path + " " + authorization).isEqualTo(403);
                assertThat(answer.body()).contains("\"forbidden\"").doesNotContain("spring.datasource");
            }
        }
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void whatTomcatRefusesBeforeAnyServletIsJsonToo() {
        // Tomcat's own HTML error page before.
        for (String target : List.of("/actuator/health?x=a|b", "/actuator/%00",
                "/actuator/health?x=" + "a".repeat(9000))) {
            RawHttp.Answer answer = RawHttp.get(port, target);

            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.contentType()).as(target).startsWith("application/json");
            assertThat(answer.body()).as(target).contains("\"code\":\"bad_request\"");
        }
    }

    @Test
    void requestsAreTimedButSpringSecurityIsNot() throws Exception {
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);

        // A request's timer is recorded after its answer has gone out: wait for it rather than race it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape().keySet())
                .anyMatch(sample -> sample.startsWith("http_server_requests_seconds_count{")));
        assertThat(scrape().keySet()).as("Spring Security observes none of the requests that passed its chains")
                .noneMatch(sample -> sample.startsWith("spring_security_"));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }

    /** Every sample of a scrape by its name and labels as written, e.g. {@code a_total{x="y"}} → value. */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/actuator/prometheus", "Bearer " + SCRAPE_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : List.of(response.body().split("\n"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
