package io.playbill.gateway.security;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway is public, so its metrics are attacked from outside: only the scrape token opens
 * {@code /actuator/prometheus}, and the scrape token opens nothing else.
 */
class ScrapeSecurityTest extends NoneModeGatewayTest {

    private static final String PROMETHEUS = "/actuator/prometheus";

    @Test
    void theScrapeTokenGetsThePrometheusText() {
        http.get("/actuator/health", null);

        HttpResult scrape = scrape(PROMETHEUS, "Bearer " + SCRAPE_TOKEN);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).startsWith("text/plain");
        assertThat(scrape.body()).contains("# TYPE http_server_requests_seconds histogram",
                "http_server_requests_seconds_bucket{", "jvm_memory_used_bytes{");
    }

    @Test
    void anUnauthenticatedScrapeIsRefused() {
        HttpResult scrape = scrape(PROMETHEUS, null);

        assertThat(scrape.status()).isEqualTo(401);
        assertThat(scrape.errorCode()).isEqualTo("unauthorized");
        assertThat(scrape.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(scrape.body()).doesNotContain("jvm_");
    }

    @Test
    void anyOtherCredentialIsRefused() {
        String almost = SCRAPE_TOKEN.substring(0, SCRAPE_TOKEN.length() - 1) + "x";
        for (String authorization : new String[]{"Bearer " + almost, "Bearer " + SCRAPE_TOKEN + "0",
                "Bearer " + SCRAPE_TOKEN.toUpperCase(), "Basic " + SCRAPE_TOKEN, SCRAPE_TOKEN,
                "Bearer " + UserTokens.of("ops", "admin"), "Bearer " + UserTokens.of("alice")}) {
            HttpResult scrape = scrape(PROMETHEUS, authorization);
            assertThat(scrape.status()).as(authorization).isEqualTo(401);
            assertThat(scrape.body()).as(authorization).doesNotContain("jvm_");
        }
        assertThat(scrape(PROMETHEUS + "?token=" + SCRAPE_TOKEN, null).status()).isEqualTo(401);
    }

    @Test
    void otherSpellingsOfThePathAreRefusedWithoutTheToken() {
        for (String path : new String[]{"/actuator/%70rometheus", "/actuator/prometheus/", "/actuator//prometheus",
                "/actuator/prometheus;x=y", "/actuator/./prometheus", "/Actuator/prometheus"}) {
            HttpResult scrape = scrape(path, null);
            assertThat(scrape.status()).as(path).isIn(400, 401, 404);
            assertThat(scrape.body()).as(path).doesNotContain("jvm_");
        }
    }

    @Test
    void theScrapeTokenOpensNothingButTheMetrics() {
        String scraper = "Bearer " + SCRAPE_TOKEN;

        assertThat(scrape("/actuator/env", scraper).status()).isEqualTo(401);
        assertThat(scrape("/actuator/metrics", scraper).status()).isEqualTo(401);
        assertThat(scrape("/api/me/account", scraper).status()).isEqualTo(401);
        assertThat(scrape("/api/admin/accounts/alice/balance", scraper).status()).isEqualTo(401);
    }

    private HttpResult scrape(String path, String authorization) {
        HttpRequest.Builder request = http.request(path, null).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request);
    }
}
