package io.playbill.gateway.security;

import io.playbill.gateway.console.ConsoleSecurity;
import io.playbill.gateway.web.ApiExceptionHandler;
import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import io.playbill.service.security.Firewalls;
import io.playbill.service.security.NoSecurityObservations;
import io.playbill.service.security.PathPatternRequestMatchers;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Who may call what. Every {@code /api/**} request needs a user JWT ({@code Authorization: Bearer …});
 * money operations on accounts and finance reads need role {@code admin} or {@code finance}; prices, replays and
 * audits (everything else under {@code /api/admin}) need {@code admin}. The demo-compatible cloud endpoints outside
 * {@code /api} need a user JWT too.
 * Health and the OpenAPI document are public, and so are the web console's files and, in dev mode only, its
 * sign-in ({@link ConsoleSecurity}; the console gets its data from the API with the user's token like any client).
 * Stateless: no session, no cookies, hence no CSRF protection.
 * Cross-origin (CORS) access is off unless {@code playbill.cors.allowed-origins} lists browser origins.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({UserJwtProperties.class, CorsProperties.class})
@Import({NoSecurityObservations.class, PathPatternRequestMatchers.class})
public class SecurityConfiguration {

    @Bean
    JwtDecoder userJwtDecoder(UserJwtProperties settings, Clock clock) {
        return UserJwtDecoders.create(settings, clock);
    }

    @Bean
    SecurityFilterChain gatewaySecurity(HttpSecurity http, JwtDecoder userJwtDecoder,
                                        JsonErrorWriter errors, ConsoleSecurity console) throws Exception {
        var unauthorized = new JsonAuthenticationEntryPoint(errors);
        var forbidden = new JsonAccessDeniedHandler(errors);
        http
                .csrf(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(headers -> headers.addHeaderWriter(console.headerWriter()))
                .authorizeHttpRequests(requests -> requests
                        // The original request was authorized already; these dispatches only render its result.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // The endpoints wherever management.endpoints.web.base-path puts them, not only at
                        // /actuator: a moved one would otherwise be open to any player.
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        // Whatever else an operator exposes (env, heapdump, loggers) holds or changes secrets and
                        // settings: admins only. Prometheus has its own chain, ordered first (decision 017).
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, ConsoleSecurity.PUBLIC_FILES).permitAll()
                        .requestMatchers(HttpMethod.POST, ConsoleSecurity.DEV_TOKEN).permitAll()
                        .requestMatchers("/api/admin/accounts/**", "/api/finance/**").hasAnyRole("ADMIN", "FINANCE")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.decoder(userJwtDecoder).jwtAuthenticationConverter(new UserRolesConverter()))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden)
                        .withObjectPostProcessor(answeringOutages(unauthorized)))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden));
        return http.build();
    }

    /**
     * The bearer filter's failures all go to the entry point. Spring Security's default rethrows an
     * {@link org.springframework.security.authentication.AuthenticationServiceException} (the identity provider's
     * keys out of reach), which left the filter chain and became a 500 {@code internal_error} with a stack trace.
     */
    private static ObjectPostProcessor<BearerTokenAuthenticationFilter> answeringOutages(
            AuthenticationEntryPoint entryPoint) {
        return new ObjectPostProcessor<>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                AuthenticationEntryPointFailureHandler failures = new AuthenticationEntryPointFailureHandler(entryPoint);
                failures.setRethrowAuthenticationServiceException(false);
                filter.setAuthenticationFailureHandler(failures);
                return filter;
            }
        };
    }

    /** Found by type by Spring Security's filter chain: the stock firewall's rules, checked cheaper (see Firewalls). */
    @Bean
    HttpFirewall httpFirewall() {
        return Firewalls.strict();
    }

    /**
     * Found by type by Spring Security's filter chain: the firewall's refusals (an unknown method, a {@code ;} path
     * parameter, a header value with a control character, …) answered in JSON. The default sends the error to the
     * container, whose error dispatch the firewall refuses again for the same method: an empty 400.
     */
    @Bean
    RequestRejectedHandler jsonRequestRejectedHandler(JsonErrorWriter errors) {
        return (request, response, rejected) -> errors.write(response, HttpStatus.BAD_REQUEST,
                ErrorCodes.BAD_REQUEST, ApiExceptionHandler.FIREWALL_REFUSAL);
    }

    /**
     * Cross-origin access, as the first filter of all (only when origins are allowed). Added by hand rather than with
     * {@code http.cors()} to answer refused requests in JSON; ahead of Spring Security, so preflight (OPTIONS)
     * requests are answered without a token; and ahead of the body limit and the firewall, so that the errors they
     * answer (413, 400) carry the allow-origin header too, and a browser page can read them instead of seeing an
     * opaque network failure.
     */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties cors, JsonErrorWriter errors) {
        var registration = new FilterRegistrationBean<>(corsFilter(cors.allowedOrigins(), errors));
        // Right after the character encoding filter (HIGHEST_PRECEDENCE), before everything that may answer an error.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.setEnabled(!cors.allowedOrigins().isEmpty());
        return registration;
    }

    private static CorsFilter corsFilter(List<String> allowedOrigins, JsonErrorWriter errors) {
        CorsConfiguration api = new CorsConfiguration();
        api.setAllowedOrigins(allowedOrigins);
        api.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        api.setAllowedHeaders(List.of("Authorization", "Content-Type"));
        // Next-After: the cursor of a statement's next CSV answer (query-service's keyset paging).
        api.setExposedHeaders(List.of("Retry-After", "Next-After"));
        api.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", api);
        // The official cloud-game demos' paths, v1 and v2 (playbill.cloud.demo-compat), called from H5 pages too.
        for (String demoPath : List.of("/StartCloudGame", "/StopCloudGame", "/StartGame", "/StopGame", "/Enqueue",
                "/Dequeue")) {
            source.registerCorsConfiguration(demoPath, api);
        }
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new JsonCorsProcessor(errors));
        return filter;
    }
}
