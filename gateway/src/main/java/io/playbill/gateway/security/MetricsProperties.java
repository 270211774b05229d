package io.playbill.gateway.security;

import io.playbill.gateway.config.SettingsCheck;
import io.playbill.trust.ScrapeToken;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Optional;

/**
 * {@code playbill.metrics.*}: who may scrape {@code /actuator/prometheus}.
 *
 * @param scrapeToken the bearer token a metrics scraper presents ({@code PLAYBILL_METRICS_SCRAPE_TOKEN}): at least
 *                    32 bytes, random. Unset, nobody may scrape. No profile sets it: {@code ./playbill up} makes one
 *                    per run.
 */
@ConfigurationProperties("playbill.metrics")
public record MetricsProperties(String scrapeToken) {

    public MetricsProperties {
        String problem = ScrapeToken.problem(scrapeToken);
        new SettingsCheck("playbill.metrics")
                .require(problem == null, "scrape-token", problem)
                .throwIfInvalid();
    }

    /** The token, or empty when scraping is closed. */
    public Optional<ScrapeToken> token() {
        return ScrapeToken.of(scrapeToken);
    }

    @Override
    public String toString() {
        return "MetricsProperties[scrapeToken=hidden]";
    }
}
