package io.playbill.gateway.fairuse;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.playbill.gateway.config.SettingsCheck;
import io.playbill.gateway.web.JsonErrorWriter;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Fair use of one gateway instance: a rate per user ({@link RateLimitFilter}) and a concurrency budget per kind of
 * request ({@link ConcurrencyLimitFilter}), so that neither one user nor one slow dependency (GS, query-service) can
 * take the request threads that renewals need. Both filters run right after Spring Security, which has then
 * authenticated the user, and before any controller or route; the rate limit first, so a user over their rate never
 * takes a place in a budget.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RateLimitProperties.class, ConcurrencyProperties.class})
public class FairUseConfiguration {

    static final int RATE_LIMIT_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER + 10;
    static final int CONCURRENCY_LIMIT_ORDER = RATE_LIMIT_ORDER + 10;

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimitProperties settings, Clock clock,
                                                            JsonErrorWriter errors) {
        var registration = new FilterRegistrationBean<>(
                new RateLimitFilter(new UserRateLimits(settings, clock), settings, errors));
        registration.setOrder(RATE_LIMIT_ORDER);
        registration.setEnabled(settings.enabled());
        return registration;
    }

    @Bean
    ConcurrencyBudgets concurrencyBudgets(ConcurrencyProperties settings, ServerProperties server,
                                          WebEndpointProperties endpoints) {
        int threads = server.getTomcat().getThreads().getMax();
        int connections = server.getTomcat().getMaxConnections();
        new SettingsCheck("playbill.concurrency")
                .requireTogether(settings.total() <= threads, "reads (" + settings.reads() + ") + cloud ("
                        + settings.cloud() + ") + game (" + settings.game() + ") + stops (" + settings.stops()
                        + ") + headroom (" + settings.headroom()
                        + ") = " + settings.total() + " must not exceed server.tomcat.threads.max (" + threads
                        + "), so that every kind of request always finds a thread")
                .requireTogether(connections < 0 || settings.waiting() + threads <= connections, "game-waiting ("
                        + settings.gameWaiting() + ") + stops-waiting (" + settings.stopsWaiting()
                        + ") + server.tomcat.threads.max (" + threads + ") must not exceed "
                        + "server.tomcat.max-connections (" + connections + "; -1 is no limit), so that requests "
                        + "waiting for the ledger never hold every connection")
                .throwIfInvalid();
        return new ConcurrencyBudgets(settings, endpoints.getBasePath());
    }

    /** How full each place of the budgets is: a budget that is often full is answering 503 busy. */
    @Bean
    MeterBinder concurrencyPlaces(ConcurrencyBudgets budgets) {
        return registry -> budgets.places().forEach((place, bulkhead) -> {
            Gauge.builder("playbill.gateway.concurrency.in.use", bulkhead,
                            b -> b.getMetrics().getMaxAllowedConcurrentCalls()
                                    - b.getMetrics().getAvailableConcurrentCalls())
                    .tag("place", place).register(registry);
            Gauge.builder("playbill.gateway.concurrency.places", bulkhead,
                            b -> b.getMetrics().getMaxAllowedConcurrentCalls())
                    .tag("place", place).register(registry);
        });
    }

    @Bean
    FilterRegistrationBean<ConcurrencyLimitFilter> concurrencyLimitFilter(ConcurrencyBudgets budgets,
                                                                          JsonErrorWriter errors,
                                                                          MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new ConcurrencyLimitFilter(budgets, errors, meters));
        registration.setOrder(CONCURRENCY_LIMIT_ORDER);
        return registration;
    }
}
