package io.playbill.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health and the OpenAPI document need no token. */
class PublicEndpointsTest extends NoneModeGatewayTest {

    @Test
    void healthIsUp() {
        HttpResult health = http.get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() {
        HttpResult docs = http.get("/v3/api-docs", null);

        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.has("/api/game/authToken")).isTrue();
        assertThat(paths.get("/api/game/start").has("post")).isTrue();
        assertThat(paths.get("/api/game/renew").has("post")).isTrue();
        assertThat(paths.get("/api/game/stop").has("post")).isTrue();
        assertThat(paths.get("/api/admin/accounts/{userId}/deposits").has("post")).isTrue();
        assertThat(paths.get("/api/admin/accounts/{userId}/refunds").has("post")).isTrue();
        assertThat(paths.get("/api/admin/accounts/{userId}/adjustments").has("post")).isTrue();
        assertThat(paths.get("/api/admin/prices/{queue}").has("put")).isTrue();
        assertThat(paths.has("/error")).isFalse();
        assertThat(docs.json().at("/components/schemas/TokenResponse/properties/token").isMissingNode()).isFalse();
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() {
        assertThat(http.get("/actuator/env", null).status()).isEqualTo(401);
    }
}
