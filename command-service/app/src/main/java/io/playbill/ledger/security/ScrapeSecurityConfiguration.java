package io.playbill.ledger.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.metrics.ScrapeTokenSecurity;
import io.playbill.service.security.NoSecurityObservations;
import io.playbill.trust.ScrapeToken;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may scrape {@code /actuator/prometheus}: only a caller presenting the scrape token, nobody while it is unset
 * ({@link ScrapeTokenSecurity}, decision 017).
 * The ledger has no HTTP callers otherwise: this chain covers the scrape only, and health (the one other exposed
 * endpoint) stays open to probes.
 */
@Configuration(proxyBeanMethods = false)
// Tests that run the ledger without a web server have no HTTP to guard.
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(MetricsProperties.class)
@Import(NoSecurityObservations.class)
public class ScrapeSecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain scrapeSecurity(HttpSecurity http, MetricsProperties metrics, ObjectMapper json)
            throws Exception {
        return ScrapeTokenSecurity.chain(http, ScrapeToken.of(metrics.scrapeToken()), json);
    }
}
