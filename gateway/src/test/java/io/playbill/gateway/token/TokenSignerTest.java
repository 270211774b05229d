package io.playbill.gateway.token;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.IndependentJwt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token-spec conformance, checked by an independent verifier (JDK HMAC + Jackson), never by java-jwt. */
class TokenSignerTest {

    private static final long SAMPLE_IAT = 1_616_591_965L;
    private static final String SAMPLE_SECRET = "your-256-bit-secret";
    private static final String SECRET_64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /** The spec's published sample: HS256, 19-byte secret (allowed explicitly), iss demo, customer moving. */
    private final TokenSigner sample = new TokenSigner(
            new TokenProperties("demo", "moving", SAMPLE_SECRET, "HS256", Duration.ofSeconds(1000), true),
            Clock.fixed(Instant.ofEpochSecond(SAMPLE_IAT), ZoneOffset.UTC));

    @Test
    void sampleAuthTokenHasExactlyTheSampleClaimsPlusType() {
        JsonNode payload = verifiedSample(sample.authToken("1234", "standard", "foobar"));

        assertThat(fieldNames(payload))
                .containsExactlyInAnyOrder("iss", "aud", "iat", "exp", "customer", "type", "user", "queue", "session");
        assertSampleBaseClaims(payload, "auth");
        assertText(payload, "user", "1234");
        assertText(payload, "queue", "standard");
        assertText(payload, "session", "foobar");
    }

    @Test
    void sampleStartTokenHasSessionAndQueue() {
        JsonNode payload = verifiedSample(sample.startToken("foobar", "standard"));

        assertThat(fieldNames(payload))
                .containsExactlyInAnyOrder("iss", "aud", "iat", "exp", "customer", "type", "session", "queue");
        assertSampleBaseClaims(payload, "start");
        assertText(payload, "session", "foobar");
        assertText(payload, "queue", "standard");
    }

    @Test
    void sampleRenewTokenCarriesAnIntegerDeadline() {
        JsonNode payload = verifiedSample(sample.renewToken("foobar", 60));

        assertThat(fieldNames(payload))
                .containsExactlyInAnyOrder("iss", "aud", "iat", "exp", "customer", "type", "session", "deadline");
        assertSampleBaseClaims(payload, "renew");
        assertText(payload, "session", "foobar");
        assertThat(payload.get("deadline").isIntegralNumber()).as("deadline is a JSON integer").isTrue();
        assertThat(payload.get("deadline").asLong()).isEqualTo(60);
    }

    @ParameterizedTest
    @CsvSource({"HS256, 60", "HS256, 7199", "HS512, 300"})
    void everyTokenTypeIsSignedWithTheConfiguredAlgorithmAndTtl(String algorithm, long ttl) {
        Instant now = Instant.parse("2025-01-02T03:04:05.678Z");
        TokenSigner signer = new TokenSigner(
                new TokenProperties("issuer-x", "customer-y", SECRET_64, algorithm, Duration.ofSeconds(ttl), false),
                Clock.fixed(now, ZoneOffset.UTC));

        for (String token : List.of(signer.authToken("alice", "premium", "s1"), signer.startToken("s1", "premium"),
                signer.renewToken("s1", 120))) {
            IndependentJwt.Verified jwt = IndependentJwt.verify(token, SECRET_64);
            assertThat(jwt.header().get("alg").asText()).isEqualTo(algorithm);
            JsonNode payload = jwt.payload();
            assertText(payload, "iss", "issuer-x");
            assertText(payload, "aud", "mp");
            assertText(payload, "customer", "customer-y");
            assertThat(payload.get("iat").isIntegralNumber()).isTrue();
            assertThat(payload.get("iat").asLong()).isEqualTo(now.getEpochSecond());
            assertThat(payload.get("exp").asLong() - payload.get("iat").asLong()).isEqualTo(ttl);
        }
    }

    @Test
    void theIndependentVerifierRejectsAnotherSecret() {
        String token = sample.authToken("1234", "standard", "foobar");

        assertThatThrownBy(() -> IndependentJwt.verify(token, SAMPLE_SECRET + "x"))
                .hasMessageContaining("Signature does not match");
    }

    private static JsonNode verifiedSample(String token) {
        IndependentJwt.Verified jwt = IndependentJwt.verify(token, SAMPLE_SECRET);
        assertThat(jwt.header().get("alg").asText()).isEqualTo("HS256");
        return jwt.payload();
    }

    private static void assertSampleBaseClaims(JsonNode payload, String type) {
        assertText(payload, "iss", "demo");
        assertText(payload, "aud", "mp");
        assertText(payload, "customer", "moving");
        assertText(payload, "type", type);
        assertThat(payload.get("iat").isIntegralNumber()).isTrue();
        assertThat(payload.get("exp").isIntegralNumber()).isTrue();
        assertThat(payload.get("iat").asLong()).isEqualTo(1_616_591_965L);
        assertThat(payload.get("exp").asLong()).isEqualTo(1_616_592_965L);
    }

    /** The claim is a JSON string (not an array, not a number) with this value. */
    private static void assertText(JsonNode payload, String claim, String value) {
        assertThat(payload.get(claim)).as(claim).isNotNull();
        assertThat(payload.get(claim).isTextual()).as(claim + " is a JSON string: " + payload.get(claim)).isTrue();
        assertThat(payload.get(claim).asText()).as(claim).isEqualTo(value);
    }

    private static List<String> fieldNames(JsonNode payload) {
        List<String> names = new ArrayList<>();
        payload.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
