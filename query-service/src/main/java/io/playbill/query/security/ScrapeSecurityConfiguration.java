package io.playbill.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.metrics.ScrapeTokenSecurity;
import io.playbill.trust.ScrapeToken;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may scrape {@code /actuator/prometheus}: only a caller presenting the scrape token, nobody while it is unset
 * ({@link ScrapeTokenSecurity}, decision 017).
 * Its own filter chain, ahead of the caller-assertion chain ({@link SecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class ScrapeSecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain scrapeSecurity(HttpSecurity http, MetricsProperties metrics, ObjectMapper json)
            throws Exception {
        return ScrapeTokenSecurity.chain(http, ScrapeToken.of(metrics.scrapeToken()), json);
    }
}
