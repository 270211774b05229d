package io.playbill.gateway.security;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gateway started as in production (metrics exported): without a scrape token nobody may scrape, and a weak token
 * stops start-up without being printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScrapeTokenSettingsTest {

    @Test
    void withoutAScrapeTokenNobodyMayScrape() {
        try (ConfigurableApplicationContext gateway = gateway("--playbill.metrics.scrape-token=")) {
            GatewayHttp http = new GatewayHttp(((WebServerApplicationContext) gateway).getWebServer().getPort());
            for (String authorization : new String[]{null, "Bearer ", "Bearer null", "Bearer undefined"}) {
                var request = http.request("/actuator/prometheus", null).GET();
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResult scrape = http.send(request);
                assertThat(scrape.status()).as(String.valueOf(authorization)).isEqualTo(401);
                assertThat(scrape.body()).doesNotContain("jvm_");
            }
        }
    }

    @Test
    void aShortScrapeTokenStopsStartUpWithoutBeingPrinted(CapturedOutput output) {
        assertThatThrownBy(() -> gateway("--playbill.metrics.scrape-token=short-scrape-token").close())
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains(" - playbill.metrics.scrape-token must be at least 32 bytes");
        assertThat(output).doesNotContain("short-scrape-token");
    }

    private static ConfigurableApplicationContext gateway(String... settings) {
        String[] args = new String[settings.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--playbill.billing.mode=none";
        args[2] = "--playbill.cloud.enabled=false";
        System.arraycopy(settings, 0, args, 3, settings.length);
        return new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(args);
    }
}
