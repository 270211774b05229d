package io.playbill.gateway.game;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.IndependentJwt;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK calls over HTTP in billing mode none: stateless tokens, deadlines grow by one cycle per renew. */
class NoneModeGameTest extends NoneModeGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void renewExtendsTheDeadlineByOneCycleEachTime() {
        long lastDeadline = 0;
        for (long expected : new long[]{60, 120, 180, 240}) {
            HttpResult renewed = http.post("/api/game/renew", alice,
                    "{\"session\":\"foobar\",\"lastDeadline\":" + lastDeadline + "}");

            assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
            JsonNode token = payload(renewed);
            assertThat(token.get("type").asText()).isEqualTo("renew");
            assertThat(token.get("session").asText()).isEqualTo("foobar");
            assertThat(token.get("deadline").isIntegralNumber()).isTrue();
            assertThat(token.get("deadline").asLong()).isEqualTo(expected);
            lastDeadline = token.get("deadline").asLong();
        }
    }

    @Test
    void authTokenNamesTheAuthenticatedUserAndTheDefaultQueue() {
        JsonNode token = payload(http.get("/api/game/authToken?session=foobar", alice));

        assertThat(token.get("type").asText()).isEqualTo("auth");
        assertThat(token.get("user").asText()).isEqualTo("alice");
        assertThat(token.get("queue").asText()).isEqualTo("standard");
        assertThat(token.get("session").asText()).isEqualTo("foobar");
        assertThat(token.get("iss").asText()).isEqualTo("playbill-dev");
        assertThat(token.get("customer").asText()).isEqualTo("playbill-dev");
        assertThat(token.get("aud").isTextual()).isTrue();
        assertThat(token.get("exp").asLong() - token.get("iat").asLong()).isEqualTo(300);
    }

    @Test
    void aConfiguredQueueCanBeChosen() {
        assertThat(payload(http.get("/api/game/authToken?session=foobar&queue=premium", alice))
                .get("queue").asText()).isEqualTo("premium");
        assertThat(payload(http.post("/api/game/start", alice, "{\"session\":\"foobar\",\"queue\":\"premium\"}"))
                .get("queue").asText()).isEqualTo("premium");
    }

    @Test
    void anUnknownQueueIsRefused() {
        HttpResult result = http.get("/api/game/authToken?session=foobar&queue=gold", alice);

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.errorCode()).isEqualTo("unknown_queue");
    }

    @Test
    void startTokenEchoesTheSession() {
        JsonNode token = payload(http.post("/api/game/start", alice, "{\"session\":\"foobar\"}"));

        assertThat(token.get("type").asText()).isEqualTo("start");
        assertThat(token.get("session").asText()).isEqualTo("foobar");
        assertThat(token.get("queue").asText()).isEqualTo("standard");
    }

    @Test
    void stopAnswersStopped() {
        HttpResult stopped = http.post("/api/game/stop", alice, "{\"session\":\"foobar\"}");

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("stopped").asBoolean()).isTrue();
    }

    @Test
    void unknownJsonFieldsAreIgnored() {
        HttpResult renewed = http.post("/api/game/renew", alice,
                "{\"session\":\"foobar\",\"lastDeadline\":60,\"userId\":\"mallory\",\"extra\":{\"a\":1}}");

        assertThat(payload(renewed).get("deadline").asLong()).isEqualTo(120);
    }

    private static JsonNode payload(HttpResult result) {
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        assertThat(result.json().size()).as("only the token: " + result.body()).isEqualTo(1);
        return IndependentJwt.verify(result.token(), DEV_TOKEN_SECRET).payload();
    }
}
