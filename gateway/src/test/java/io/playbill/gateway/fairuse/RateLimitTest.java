package io.playbill.gateway.fairuse;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each user has a token bucket (here 3 at once, 2 per second) on the gateway clock, which the test moves instead of
 * sleeping, and may have 2 requests open at once. Billing mode none: the SDK token calls answer without a ledger.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=none",
                "playbill.cloud.enabled=false",
                "playbill.rate-limit.requests-per-second=2",
                "playbill.rate-limit.burst=3",
                "playbill.rate-limit.in-flight=2"})
@ActiveProfiles("standalone")
@Import(RateLimitTest.StoppedTime.class)
class RateLimitTest {

    /** The gateway clock (JWT expiry, SDK token times, buckets), standing still until the test moves it. */
    @TestConfiguration
    static class StoppedTime {

        @Bean
        @Primary
        ManualClock manualClock() {
            return new ManualClock(Instant.now());
        }
    }

    @Autowired
    private ManualClock clock;

    @LocalServerPort
    private int port;

    private GatewayHttp http;

    @BeforeEach
    void connect() {
        http = new GatewayHttp(port);
    }

    @Test
    void aUserOverTheBurstIsRefusedUntilTheBucketRefillsWhileOthersGoOn() {
        String alice = UserTokens.of("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(authToken(alice).status()).isEqualTo(200);
        }

        HttpResult limited = authToken(alice);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limited");
        assertThat(limited.header("Retry-After")).as("half a second, rounded up").isEqualTo("1");
        assertThat(authToken(UserTokens.of("bob")).status()).isEqualTo(200);

        clock.advance(Duration.ofMillis(499));
        assertThat(authToken(alice).status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(authToken(alice).status()).isEqualTo(200);
        assertThat(authToken(alice).status()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(authToken(alice).status()).as("a full burst again, never more").isEqualTo(200);
        }
        assertThat(authToken(alice).status()).isEqualTo(429);
    }

    @Test
    void everyAuthenticatedRequestCountsWhateverItsPath() {
        String carol = UserTokens.of("carol");

        // A read route (query-service is not running: 503), a demo path of a disabled feature (404), a token call.
        assertThat(http.get("/api/me/balance", carol).status()).isEqualTo(503);
        assertThat(http.post("/StartCloudGame", carol, "{}").status()).isEqualTo(404);
        assertThat(authToken(carol).status()).isEqualTo(200);

        assertThat(http.get("/api/me/balance", carol).errorCode()).isEqualTo("rate_limited");
        assertThat(http.post("/api/game/stop", carol, "{\"session\":\"foobar\"}").errorCode())
                .isEqualTo("rate_limited");
    }

    @Test
    void aUserWhoseRequestBodiesNeverFinishHoldsNoMoreThanTheirOwnPlaces() throws Exception {
        String dave = UserTokens.of("dave");
        try (Socket first = slowStop(dave); Socket second = slowStop(dave)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // A full bucket each time: until both slow stops are open, a call of dave's may pass and take a token.
                clock.advance(Duration.ofSeconds(10));
                HttpResult third = authToken(dave);
                assertThat(third.status()).as(third.toString()).isEqualTo(429);
                assertThat(third.errorCode()).isEqualTo("rate_limited");
                assertThat(third.json().path("error").path("message").asText()).contains("open at once: at most 2");
                assertThat(third.header("Retry-After")).isEqualTo("1");
            });
            assertThat(authToken(UserTokens.of("erin")).status()).as("another user goes on").isEqualTo(200);

            // The first body arrives at last: its request is answered and gives its place back.
            assertThat(finish(first)).isEqualTo("HTTP/1.1 200");
            clock.advance(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(authToken(dave).status())
                    .isEqualTo(200));
            assertThat(finish(second)).isEqualTo("HTTP/1.1 200");
        }
    }

    /** Sends the rest of a slow stop's body; the answer's status line. */
    private static String finish(Socket slowStop) throws Exception {
        slowStop.getOutputStream().write("\"}".getBytes(StandardCharsets.US_ASCII));
        slowStop.getOutputStream().flush();
        return new String(slowStop.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    }

    /** A stop whose JSON body stops one byte short of its end, on a socket of its own. */
    private Socket slowStop(String userToken) throws Exception {
        String body = "{\"session\":\"foobar\"}";
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        String head = "POST /api/game/stop HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + userToken
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n";
        socket.getOutputStream().write((head + body.substring(0, body.length() - 2))
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void staffAreNotLimited() {
        // The customer's payment system tops up every player through one admin identity.
        String payments = UserTokens.of("payments", "admin");
        String finance = UserTokens.of("fiona", "finance");

        for (int i = 0; i < 10; i++) {
            assertThat(http.post("/api/admin/accounts/player-" + i + "/deposits", payments,
                    "{\"amount\":100,\"reference\":\"pay-" + i + "\"}").errorCode()).isEqualTo("billing_disabled");
            assertThat(authToken(finance).status()).isEqualTo(200);
        }
    }

    @Test
    void requestsWithoutAValidTokenAreRefusedByAuthenticationNotCounted() {
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/api/game/authToken?session=foobar", null).errorCode()).isEqualTo("unauthorized");
        }
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }

    private HttpResult authToken(String userToken) {
        return http.get("/api/game/authToken?session=foobar", userToken);
    }
}
