package io.playbill.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.security.Firewalls;
import io.playbill.service.security.NoSecurityObservations;
import io.playbill.service.security.PathPatternRequestMatchers;
import io.playbill.service.security.StatelessChains;
import io.playbill.trust.AssertionVerifier;
import io.playbill.trust.InternalKey;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;

import java.time.Clock;

/**
 * Who may call what. query-service believes nobody by their word: every request needs the gateway's signed caller
 * assertion ({@link AssertionFilter}), else 401. Roles are checked on the path Spring has normalised (decoded, path
 * parameters refused by the firewall), so {@code /%66inance/...} is judged as {@code /finance/...}:
 * {@code /finance/**} needs {@code finance} or {@code admin}, {@code /admin/**} needs {@code admin}, everything else
 * (the player's {@code /me/**}) any caller. Health and its probes are open; the Prometheus scrape has its own chain
 * ({@link ScrapeSecurityConfiguration}); every other actuator endpoint needs {@code admin}, which the gateway never
 * forwards there, so they are closed in practice. Stateless: no session, no
 * cookies, hence no CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InternalProperties.class)
@Import({NoSecurityObservations.class, PathPatternRequestMatchers.class})
public class SecurityConfiguration {

    @Bean
    AssertionVerifier assertionVerifier(InternalProperties internal, Clock clock) {
        return new AssertionVerifier(InternalKey.of(internal.key()), clock);
    }

    /** Found by type by Spring Security's filter chain: the stock firewall's rules, checked cheaper (see Firewalls). */
    @Bean
    HttpFirewall httpFirewall() {
        return Firewalls.strict();
    }

    /** Also the filter chain proxy's {@code RequestRejectedHandler} (found by type): firewall rejections in JSON. */
    @Bean
    JsonSecurityErrors jsonSecurityErrors(ObjectMapper json) {
        return new JsonSecurityErrors(json);
    }

    @Bean
    SecurityFilterChain querySecurity(HttpSecurity http, AssertionVerifier verifier, JsonSecurityErrors errors,
                                      ObjectMapper json) throws Exception {
        StatelessChains.stateless(http)
                .addFilterBefore(new AssertionFilter(verifier, json), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // The original request was authorized already; these dispatches only render its result.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        // /actuator/prometheus never gets here: ScrapeSecurityConfiguration's chain, ahead of this one,
                        // takes it and admits only the scrape token.
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
                        .requestMatchers("/finance/**").hasAnyRole("FINANCE", "ADMIN")
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .requestMatchers("/me/**").authenticated()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors));
        return http.build();
    }
}
