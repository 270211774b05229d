package io.playbill.gateway.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import io.playbill.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens naming key ids the identity provider never issued cannot make the gateway fetch its JWK set once per
 * request: anyone can send them, no valid token needed, and every fetch went to the provider.
 */
class JwkSetFetchLimitTest {

    private static final String ISSUER = "https://idp.example";
    private static final String AUDIENCE = "playbill-gateway";

    @Test
    void madeUpKeyIdsFetchTheKeySetAtMostOnceMoreAndAValidTokenStillPasses() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] keySet = new JWKSet(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("k1").build())
                .toString().getBytes(StandardCharsets.UTF_8);
        AtomicInteger fetches = new AtomicInteger();
        HttpServer identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        identityProvider.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keySet.length);
            exchange.getResponseBody().write(keySet);
            exchange.close();
        });
        identityProvider.start();
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--playbill.billing.mode=none", "--playbill.cloud.enabled=false",
                "--playbill.dev-mode=true",
                "--playbill.internal.key=an-internal-key-of-32-bytes-or-more",
                "--playbill.token.secret=a-customer-secret-of-32-bytes-or-more", "--playbill.token.issuer=demo",
                "--playbill.token.customer=moving", "--playbill.rate-limit.enabled=false",
                "--playbill.security.user-jwt.jwk-set-uri=http://127.0.0.1:"
                        + identityProvider.getAddress().getPort() + "/jwks",
                "--playbill.security.user-jwt.issuer=" + ISSUER,
                "--playbill.security.user-jwt.audiences=" + AUDIENCE)) {
            String port = gateway.getEnvironment().getProperty("local.server.port");
            RSAPrivateKey privateKey = (RSAPrivateKey) pair.getPrivate();

            assertThat(authToken(port, token(privateKey, "k1", "alice")).statusCode()).isEqualTo(200);
            int afterTheFirstToken = fetches.get();
            assertThat(afterTheFirstToken).isEqualTo(1);

            HttpResponse<String> forged = null;
            for (int i = 0; i < 20; i++) {
                forged = authToken(port, token(privateKey, UUID.randomUUID().toString(), "mallory"));
                assertThat(forged.statusCode()).as(forged.body()).isIn(401, 503);
            }

            assertThat(fetches.get()).as("fetches for 20 made-up key ids").isLessThanOrEqualTo(afterTheFirstToken + 1);
            assertThat(forged.statusCode()).as("over the limit: " + forged.body()).isEqualTo(503);
            assertThat(forged.body()).contains("identity_provider_unavailable");
            assertThat(authToken(port, token(privateKey, "k1", "bob")).statusCode()).isEqualTo(200);
        } finally {
            identityProvider.stop(0);
        }
    }

    private static String token(RSAPrivateKey key, String keyId, String user) {
        return JWT.create().withKeyId(keyId).withIssuer(ISSUER).withAudience(AUDIENCE).withSubject(user)
                .withExpiresAt(Instant.now().plusSeconds(300)).sign(Algorithm.RSA256(null, key));
    }

    private static HttpResponse<String> authToken(String port, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/game/authToken?session=s1"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
