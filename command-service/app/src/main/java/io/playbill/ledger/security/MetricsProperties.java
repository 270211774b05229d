package io.playbill.ledger.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code playbill.metrics.*}: who may scrape {@code /actuator/prometheus}.
 *
 * @param scrapeToken the bearer token a metrics scraper presents ({@code PLAYBILL_METRICS_SCRAPE_TOKEN}): at least
 *                    32 bytes, random, the same in every service. Unset, nobody may scrape. Checked when the scrape
 *                    chain is built, so that no start-up report ever prints it.
 */
@ConfigurationProperties("playbill.metrics")
public record MetricsProperties(String scrapeToken) {

    @Override
    public String toString() {
        return "MetricsProperties[scrapeToken=hidden]";
    }
}
