package io.playbill.gateway.security;

import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who moves the actuator endpoints (management.endpoints.web.base-path) keeps them as guarded as at
 * /actuator: health for anyone, the rest for admins only. Matched by path alone, the moved endpoints were open to
 * any signed-in player, heap dumps included.
 */
@TestPropertySource(properties = {"management.endpoints.web.base-path=/ops",
        "management.endpoints.web.exposure.include=health,prometheus,env,loggers"})
class MovedActuatorTest extends NoneModeGatewayTest {

    @Test
    void movedEndpointsBeyondHealthAreForAdminsOnly() {
        assertThat(http.get("/ops/env", UserTokens.of("mallory")).status()).isEqualTo(403);
        assertThat(http.get("/ops/loggers", UserTokens.of("mallory", "finance")).status()).isEqualTo(403);
        assertThat(http.get("/ops", UserTokens.of("mallory")).status()).isEqualTo(403);
        assertThat(http.get("/ops/env", null).status()).isEqualTo(401);
        assertThat(http.get("/ops/env", UserTokens.of("ops", "admin")).status()).isEqualTo(200);
        assertThat(http.get("/ops/health", null).status()).isEqualTo(200);
        assertThat(http.get("/ops/health/liveness", null).status()).as("a load balancer's probe").isEqualTo(200);
    }
}
