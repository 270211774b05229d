package io.playbill.gateway.web;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** H5 clients call the gateway cross-origin; the base test allows https://play.example. */
class CorsTest extends NoneModeGatewayTest {

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        HttpResult result = preflight("https://play.example");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Access-Control-Allow-Origin")).isEqualTo("https://play.example");
        assertThat(result.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(result.header("Access-Control-Allow-Headers").toLowerCase())
                .contains("authorization").contains("content-type");
    }

    @Test
    void leavingTheCloudQueueCrossOriginIsAllowed() {
        HttpResult result = http.send(http.request("/api/cloud/queue", null)
                .header("Origin", "https://play.example")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Access-Control-Allow-Methods")).contains("DELETE");
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedInJson() {
        HttpResult result = preflight("https://evil.example");

        assertThat(result.status()).isEqualTo(403);
        assertThat(result.errorCode()).isEqualTo("cors_rejected");
        assertThat(result.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theActualRequestCarriesTheAllowOriginHeader() {
        HttpResult result = http.send(http.request("/api/game/authToken?session=foobar", UserTokens.of("alice"))
                .header("Origin", "https://play.example").GET());

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Access-Control-Allow-Origin")).isEqualTo("https://play.example");
        assertThat(result.header("Access-Control-Expose-Headers")).contains("Retry-After").contains("Next-After");
    }

    @Test
    void errorsAnsweredBeforeAuthenticationCarryTheAllowOriginHeaderToo() {
        // A body over the limit (413) and a path the firewall refuses (400) were answered without it: the page saw an
        // opaque network failure and could not read body_too_large.
        HttpResult tooLarge = http.send(http.request("/api/game/renew", UserTokens.of("alice"))
                .header("Origin", "https://play.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"" + "x".repeat(9 * 1024) + "\"}")));
        HttpResult refused = http.send(http.request("/api/game/renew;x=1", UserTokens.of("alice"))
                .header("Origin", "https://play.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("body_too_large");
        assertThat(tooLarge.header("Access-Control-Allow-Origin")).isEqualTo("https://play.example");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo("https://play.example");
    }

    private HttpResult preflight(String origin) {
        return http.send(http.request("/api/game/renew", null)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }
}
