package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real ClientSession is Base64 of the browser's whole SDP offer: the start endpoints take bodies up to 64 KiB and
 * ClientSessions up to 60 KiB, every other endpoint keeps 8 KiB. {@code cloud/clientsession-sample.txt} is our own
 * measurement: {@code TCGSDK.getClientSession()} of the official JS SDK v2.1.7 in headless Chromium, offline.
 */
class CloudStartBodyTest extends CloudGatewayTest {

    private static final int KIB = 1024;
    private static final String REAL_CLIENT_SESSION = resource("/cloud/clientsession-sample.txt");

    @Test
    void aRealClientSessionStartsTheGameWithOrWithoutContentLength() {
        assertThat(realStart("g1").getBytes(StandardCharsets.UTF_8).length).as("over the small limit")
                .isGreaterThan(8 * KIB);

        HttpResult declared = http.post("/api/cloud/start", UserTokens.of("alice"), realStart("g1"));
        HttpResult chunked = http.postChunked("/api/cloud/start", UserTokens.of("bob"), realStart("g2"));

        assertThat(declared.status()).as(declared.toString()).isEqualTo(200);
        assertThat(chunked.status()).as(chunked.toString()).isEqualTo(200);
        assertThat(decoded(declared.json().get("serverSession").asText()))
                .isEqualTo("gs-emulator|g1:ap-guangzhou:1|" + REAL_CLIENT_SESSION);
    }

    @Test
    void theDemoStartTakesARealClientSessionToo() {
        String body = "{\"GameId\":\"g1\",\"ClientSession\":\"" + REAL_CLIENT_SESSION + "\",\"UserId\":\"alice\","
                + "\"GameRegion\":\"ap-guangzhou\",\"Resolution\":\"1920x1080\",\"Fps\":60,\"MaxBitrate\":10,"
                + "\"GameParas\":\"-windowed -level 3\",\"ImageUrl\":\"https://cdn.example.com/bg.png\"}";
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(8 * KIB);

        HttpResult started = http.post("/StartCloudGame", UserTokens.of("alice"), body);

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("code").asInt()).isZero();
    }

    @Test
    void aClientSessionOf60KiBIsTheLongestAccepted() {
        HttpResult longest = http.post("/api/cloud/start", UserTokens.of("alice"), startBody(60 * KIB));
        HttpResult tooLong = http.post("/api/cloud/start", UserTokens.of("bob"), startBody(60 * KIB + 1));

        assertThat(longest.status()).as(longest.toString()).isEqualTo(200);
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
        assertThat(tooLong.errorCode()).isEqualTo("invalid_client_session");
    }

    @Test
    void aStartBodyOf64KiBIsReadAndOneByteMoreIsTooLarge() {
        String exactly64KiB = bodyOfBytes(64 * KIB);
        String oneMore = bodyOfBytes(64 * KIB + 1);

        // Read, then refused for its ClientSession (over 60 KiB), not for its size.
        assertThat(http.post("/api/cloud/start", UserTokens.of("alice"), exactly64KiB).errorCode())
                .isEqualTo("invalid_client_session");
        assertThat(http.postChunked("/api/cloud/start", UserTokens.of("alice"), exactly64KiB).errorCode())
                .isEqualTo("invalid_client_session");
        HttpResult declared = http.post("/api/cloud/start", UserTokens.of("bob"), oneMore);
        HttpResult chunked = http.postChunked("/api/cloud/start", UserTokens.of("bob"), oneMore);
        HttpResult demo = http.post("/StartCloudGame", UserTokens.of("bob"), oneMore);
        for (HttpResult tooLarge : new HttpResult[] {declared, chunked, demo}) {
            assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
            assertThat(tooLarge.errorCode()).isEqualTo("body_too_large");
            assertThat(tooLarge.json().at("/error/message").asText()).contains(String.valueOf(64 * KIB));
        }
        assertThat(TestGs.emulator().journal()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/cloud/stop", "/api/game/start", "/StopCloudGame", "/api/cloud/start/",
            "/api/cloud//start", "/api/cloud/Start", "/api/cloud/%73tart"})
    void everyOtherPathKeeps8KiB(String path) {
        HttpResult tooLarge = http.post(path, UserTokens.of("alice"), bodyOfBytes(9 * KIB));

        assertThat(tooLarge.status()).as(path + " " + tooLarge).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("body_too_large");
        assertThat(tooLarge.json().at("/error/message").asText()).contains(String.valueOf(8 * KIB));
    }

    @Test
    void aChunkedBodyOver8KiBIsCutOffOnOtherEndpointsToo() {
        HttpResult tooLarge = http.postChunked("/api/game/start", UserTokens.of("alice"),
                "{\"session\":\"foobar\",\"pad\":\"" + "x".repeat(9 * KIB) + "\"}");

        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("body_too_large");
    }

    /** A start with a real ClientSession and the options a client may set. */
    private static String realStart(String gameId) {
        return "{\"clientSession\":\"" + REAL_CLIENT_SESSION + "\",\"gameId\":\"" + gameId + "\","
                + "\"gameRegion\":\"ap-guangzhou\",\"resolution\":\"1920x1080\",\"fps\":60,\"maxBitrate\":10,"
                + "\"minBitrate\":2,\"gameParas\":\"-windowed -level 3\","
                + "\"imageUrl\":\"https://cdn.example.com/games/loading-background.png\"}";
    }

    /** A start whose ClientSession has {@code length} Base64 characters. */
    private static String startBody(int length) {
        return "{\"clientSession\":\"" + "A".repeat(length) + "\",\"gameId\":\"g1\"}";
    }

    /** A start body of exactly {@code bytes} bytes. */
    private static String bodyOfBytes(int bytes) {
        String body = startBody(bytes - startBody(0).length());
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return body;
    }

    private static String decoded(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(CloudStartBodyTest.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
