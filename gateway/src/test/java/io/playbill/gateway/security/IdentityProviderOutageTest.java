package io.playbill.gateway.security;

import io.playbill.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway whose identity provider's JWK set cannot be fetched answers a user token it cannot check with 503 and
 * {@code Retry-After}, in JSON: the token may be fine. Before, Spring Security rethrew the failure out of the filter
 * chain, and the player got a 500 {@code internal_error} (and the log a stack trace per request).
 */
class IdentityProviderOutageTest {

    @Test
    void aTokenWhoseKeysCannotBeFetchedIs503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens here once it is closed
        }
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--playbill.billing.mode=none", "--playbill.cloud.enabled=false",
                "--playbill.dev-mode=true",
                "--playbill.internal.key=an-internal-key-of-32-bytes-or-more",
                "--playbill.token.secret=a-customer-secret-of-32-bytes-or-more", "--playbill.token.issuer=demo",
                "--playbill.token.customer=moving",
                "--playbill.security.user-jwt.jwk-set-uri=http://127.0.0.1:" + closedPort + "/jwks",
                "--playbill.security.user-jwt.issuer=https://idp.example",
                "--playbill.security.user-jwt.audiences=playbill-gateway")) {
            String port = gateway.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/game/authToken?session=s1"))
                    .header("Authorization", "Bearer " + rs256Token()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(answer.body()).contains("\"code\":\"identity_provider_unavailable\"");
        }
    }

    /** An RS256 token naming a key: the decoder must fetch the key set before it can check anything. */
    private static String rs256Token() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        String claims = url.encodeToString(("{\"sub\":\"alice\",\"iss\":\"https://idp.example\","
                + "\"aud\":\"playbill-gateway\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + url.encodeToString(new byte[256]);
    }
}
