package io.playbill.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.metrics.ScrapeTokenSecurity;
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
 * The gateway is public, so this is its own filter chain, ahead of the user-token chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class ScrapeSecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain scrapeSecurity(HttpSecurity http, MetricsProperties metrics, ObjectMapper json)
            throws Exception {
        return ScrapeTokenSecurity.chain(http, metrics.token(), json);
    }
}
