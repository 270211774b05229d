package io.playbill.gateway.security;

import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who exposes more actuator endpoints on the public gateway (env, heapdump, loggers) exposes them to
 * admins only: a heap dump holds every key the gateway signs and verifies with, and any player could take one.
 */
@TestPropertySource(properties = "management.endpoints.web.exposure.include=health,prometheus,env,loggers")
class ActuatorExposureTest extends NoneModeGatewayTest {

    @Test
    void endpointsBeyondHealthAreForAdminsOnly() {
        assertThat(http.get("/actuator/env", UserTokens.of("mallory")).status()).isEqualTo(403);
        assertThat(http.get("/actuator/loggers", UserTokens.of("mallory", "finance")).status()).isEqualTo(403);
        assertThat(http.get("/actuator", UserTokens.of("mallory")).status()).isEqualTo(403);
        assertThat(http.get("/actuator/env", UserTokens.of("ops", "admin")).status()).isEqualTo(200);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }
}
