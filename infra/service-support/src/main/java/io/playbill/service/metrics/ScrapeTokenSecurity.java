package io.playbill.service.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.security.StatelessChains;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.trust.ScrapeToken;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

import java.util.Optional;

/**
 * Who may scrape {@code /actuator/prometheus}: a caller presenting the scrape token
 * ({@code Authorization: Bearer <playbill.metrics.scrape-token>}), nobody else and nobody at all while the token is
 * unset. Each service registers {@link #chain} as its own filter chain, first in order: a scraper is not a user, a
 * user's credentials (even an admin's) do not open the metrics, and the scrape token opens nothing but them.
 * Decision 017.
 */
public final class ScrapeTokenSecurity {

    private static final String SCRAPER = "metrics-scraper";
    private static final String SCRAPER_ROLE = "METRICS_SCRAPER";
    private static final String REFUSAL = "The metrics need the scrape token as 'Authorization: Bearer <token>'";

    private ScrapeTokenSecurity() {
    }

    /** The filter chain of the scrape endpoint only; refusals are 401 in the platform's JSON error shape. */
    public static SecurityFilterChain chain(HttpSecurity http, Optional<ScrapeToken> token, ObjectMapper json)
            throws Exception {
        AuthenticationEntryPoint refused = (request, response, failure) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
            ApiErrorBody.write(response, json, HttpStatus.UNAUTHORIZED, "unauthorized", REFUSAL);
        };
        AuthenticationFilter scrapeToken = new AuthenticationFilter(scrapers(token), request -> {
            String presented = ScrapeToken.bearerOf(request.getHeader(HttpHeaders.AUTHORIZATION));
            return presented == null ? null : UsernamePasswordAuthenticationToken.unauthenticated(SCRAPER, presented);
        });
        scrapeToken.setSuccessHandler((request, response, scraper) -> {
        });
        scrapeToken.setFailureHandler(new AuthenticationEntryPointFailureHandler(refused));
        StatelessChains.stateless(http)
                .securityMatcher(EndpointRequest.to(PrometheusScrapeEndpoint.class))
                .addFilterBefore(scrapeToken, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(SCRAPER_ROLE))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(refused)
                        .accessDeniedHandler((request, response, denied) -> refused.commence(request, response, null)));
        return http.build();
    }

    /** Authenticates the scraper whose bearer is the token; with no token configured, nobody. */
    private static AuthenticationManager scrapers(Optional<ScrapeToken> token) {
        return presented -> {
            if (token.isPresent() && token.get().matches((String) presented.getCredentials())) {
                return UsernamePasswordAuthenticationToken.authenticated(SCRAPER, null,
                        AuthorityUtils.createAuthorityList("ROLE_" + SCRAPER_ROLE));
            }
            throw new BadCredentialsException("The scrape token was refused");
        };
    }
}
