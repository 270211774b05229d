package io.playbill.ledger.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.metrics.ScrapeTokenSecurity;
import io.playbill.service.security.NoSecurityObservations;
import io.playbill.service.security.StatelessChains;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.trust.ScrapeToken;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Who may scrape {@code /actuator/prometheus}: only a caller presenting the scrape token, nobody while it is unset
 * ({@link ScrapeTokenSecurity}, decision 017). The ledger has no HTTP callers otherwise: health stays open to probes,
 * and everything else is refused 403, whatever an operator exposes ({@code env}, {@code heapdump} and the like would
 * show the database and broker credentials).
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

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityFilterChain healthOnly(HttpSecurity http, ObjectMapper json) throws Exception {
        AccessDeniedHandler refused = (request, response, denied) -> ApiErrorBody.write(response, json,
                HttpStatus.FORBIDDEN, "forbidden",
                "command-service serves its health to anyone and its metrics to the scrape token; nothing else");
        return StatelessChains.stateless(http)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, failure) -> refused.handle(request, response,
                                null))
                        .accessDeniedHandler(refused))
                .build();
    }
}
