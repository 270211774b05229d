package io.playbill.service.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security observes nothing. Otherwise it wraps every filter, authentication and authorization of every
 * request in an observation (their CPU, docs/performance.md), exported as {@code spring_security_*} timers that no
 * dashboard reads; switching them off by property only makes each a no-op, still created per request. The request
 * timers ({@code http.server.requests}) are Spring MVC's and stay. Each service imports this.
 */
@Configuration(proxyBeanMethods = false)
public class NoSecurityObservations {

    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
