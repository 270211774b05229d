package io.playbill.trust;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signing and verifying caller assertions, and every way a forged, stale or misdirected one is refused. */
class CallerAssertionTest {

    private static final String SECRET = "a-test-internal-key-of-32-bytes-or-more";
    private static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final AssertionSigner signer = new AssertionSigner(InternalKey.of(SECRET), CLOCK);
    private final AssertionVerifier verifier = new AssertionVerifier(InternalKey.of(SECRET), CLOCK);

    private static CallerAssertion player(String method, String path) {
        return new CallerAssertion("alice", Set.of(), method, path);
    }

    @Test
    void anAssertionVerifiesForItsOwnRequestAndGivesBackUserAndRoles() throws Exception {
        String token = signer.sign(new CallerAssertion("zoë 100%", Set.of("Finance", "admin"), "GET",
                "/finance/users/zo%C3%AB/account"));

        CallerAssertion verified = verifier.verify(token, "GET", "/finance/users/zo%C3%AB/account");

        assertThat(verified.userId()).isEqualTo("zoë 100%");
        assertThat(verified.roles()).containsExactly("admin", "finance");
        assertThat(JWT.decode(token).getExpiresAtAsInstant()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefused() {
        String forged = new AssertionSigner(InternalKey.of(SECRET + "-not-quite"), CLOCK)
                .sign(player("GET", "/me/account"));

        assertRefused(forged, "GET", "/me/account", "not signed with the internal key");
    }

    @Test
    void anExpiredAssertionIsRefusedAndClockSkewWithinTheLeewayIsTolerated() throws Exception {
        String signedLongAgo = new AssertionSigner(InternalKey.of(SECRET), Clock.offset(CLOCK, Duration.ofSeconds(-41)))
                .sign(player("GET", "/me/account"));
        assertRefused(signedLongAgo, "GET", "/me/account", "expired");

        String signedJustInTime = new AssertionSigner(InternalKey.of(SECRET),
                Clock.offset(CLOCK, Duration.ofSeconds(-39))).sign(player("GET", "/me/account"));
        assertThat(verifier.verify(signedJustInTime, "GET", "/me/account").userId()).isEqualTo("alice");

        String fromTheFuture = new AssertionSigner(InternalKey.of(SECRET), Clock.offset(CLOCK, Duration.ofMinutes(2)))
                .sign(player("GET", "/me/account"));
        assertRefused(fromTheFuture, "GET", "/me/account", "wrong claim iat");
    }

    @Test
    void anAssertionIsForOneMethodAndOneRawPathOnly() {
        String read = signer.sign(player("GET", "/me/account"));

        assertRefused(read, "POST", "/me/account", "signed for another method");
        assertRefused(read, "get", "/me/account", "signed for another method");
        assertRefused(read, "GET", "/finance/liability", "signed for another path");
        assertRefused(read, "GET", "/me/account/", "signed for another path");
        assertRefused(signer.sign(player("GET", "/%66inance/liability")), "GET", "/finance/liability",
                "signed for another path");
    }

    /** Parameters choose whose data and which period: a copied assertion must not open other ones. */
    @Test
    void anAssertionIsForOneSetOfParametersOnly() throws Exception {
        String audit = signer.sign(new CallerAssertion("ops", Set.of("admin"), "POST", "/admin/audits",
                CallerAssertion.canonicalQuery("user=alice&asOf=2030-01-15T10:00:00Z")));

        assertThat(verifier.verify(audit, "POST", "/admin/audits",
                CallerAssertion.canonicalQuery("asOf=2030-01-15T10%3A00%3A00Z&user=alice")).userId())
                .as("the same parameters, in another order and encoding").isEqualTo("ops");
        assertThatThrownBy(() -> verifier.verify(audit, "POST", "/admin/audits",
                CallerAssertion.canonicalQuery("user=bob&asOf=2030-01-15T10:00:00Z")))
                .hasMessage("signed for other parameters");
        assertThatThrownBy(() -> verifier.verify(audit, "POST", "/admin/audits"))
                .hasMessage("signed for other parameters");
        String none = signer.sign(player("GET", "/me/statement"));
        assertThatThrownBy(() -> verifier.verify(none, "GET", "/me/statement",
                CallerAssertion.canonicalQuery("page=2"))).hasMessage("signed for other parameters");
        assertThat(verifier.verify(none, "GET", "/me/statement", CallerAssertion.canonicalQuery("&=")).userId())
                .as("a parameter without a name is none").isEqualTo("alice");
    }

    @Test
    void repeatedParametersKeepTheirOrderAndFormBodiesCountToo() {
        assertThat(CallerAssertion.canonicalQuery("page=2&page=1")).isNotEqualTo(CallerAssertion.canonicalQuery(
                "page=1&page=2"));
        assertThat(CallerAssertion.canonicalQuery("b=1&a=x+y&b=2")).isEqualTo("a=x+y&b=1&b=2")
                .isEqualTo(CallerAssertion.canonicalParameters(Map.of("b", List.of("1", "2"), "a", List.of("x y"))));
        assertThat(CallerAssertion.canonicalParameters(Map.of("", List.of(""), "a", List.of("1"))))
                .as("a nameless parameter, kept by one side and dropped by the other").isEqualTo("a=1")
                .isEqualTo(CallerAssertion.canonicalQuery("&=&a=1"));
    }

    @Test
    void anAssertionForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        assertRefused(claims(NOW).withAudience("playbill-command-service").sign(hs256()), "GET", "/me/account",
                "wrong claim aud");
        assertRefused(claims(NOW).withIssuer("someone-else").sign(hs256()), "GET", "/me/account",
                "wrong claim iss");
    }

    @Test
    void unsignedAndOtherAlgorithmsAreRefused() {
        assertRefused(claims(NOW).sign(Algorithm.none()), "GET", "/me/account", "not signed with the internal key");
        assertRefused(claims(NOW).sign(Algorithm.HMAC512(SECRET.getBytes(StandardCharsets.UTF_8))), "GET",
                "/me/account", "not signed with the internal key");
        // alg=none in the header of an otherwise valid assertion, signature dropped.
        String[] parts = signer.sign(player("GET", "/me/account")).split("\\.");
        String noneHeader = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        assertRefused(noneHeader + "." + parts[1] + ".", "GET", "/me/account", "not signed with the internal key");
    }

    @Test
    void tamperedRolesBreakTheSignature() {
        String[] parts = signer.sign(player("GET", "/finance/liability")).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"roles\":[]");
        String tampered = parts[0] + "." + base64(payload.replace("\"roles\":[]", "\"roles\":[\"admin\"]")) + "."
                + parts[2];

        assertRefused(tampered, "GET", "/finance/liability", "not signed with the internal key");
    }

    @Test
    void anAssertionMustCarryEveryClaimAndLiveNoLongerThanThirtySeconds() {
        assertRefused(claims(NOW).withExpiresAt(NOW.plusSeconds(3600)).sign(hs256()), "GET", "/me/account",
                "valid for longer than 30 s");
        assertRefused(JWT.create().withIssuer(CallerAssertion.ISSUER).withAudience(CallerAssertion.AUDIENCE)
                        .withSubject("alice").withClaim("htm", "GET").withClaim("htu", "/me/account").withIssuedAt(NOW)
                        .withExpiresAt(NOW.plusSeconds(30)).sign(hs256()), "GET", "/me/account", "no claim roles");
        assertRefused(claims(NOW).withClaim("roles", "admin").sign(hs256()), "GET", "/me/account",
                "roles is not an array");
        assertRefused(JWT.create().withIssuer(CallerAssertion.ISSUER).withAudience(CallerAssertion.AUDIENCE)
                        .withSubject("alice").withClaim("roles", List.of()).withClaim("htm", "GET")
                        .withClaim("htu", "/me/account").withIssuedAt(NOW).sign(hs256()), "GET", "/me/account",
                "no claim exp");
        assertRefused(claims(NOW).withSubject(" ").sign(hs256()), "GET", "/me/account", "malformed claims");
        assertRefused("not.a.jwt", "GET", "/me/account", "malformed");
        assertRefused(null, "GET", "/me/account", "no assertion");
    }

    @Test
    void theKeyIsLongEnoughAndNeverShown() {
        assertThat(InternalKey.problem(null)).startsWith("is not set");
        assertThat(InternalKey.problem("   ")).startsWith("is not set");
        assertThat(InternalKey.problem("x".repeat(31))).startsWith("must be at least 32 bytes");
        assertThat(InternalKey.problem("x".repeat(32))).isNull();
        assertThatThrownBy(() -> InternalKey.of("short-secret-123"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("playbill.internal.key must be at least 32 bytes")
                .hasMessageNotContaining("short-secret-123");
        assertThat(InternalKey.of(SECRET).toString()).doesNotContain(SECRET);
    }

    /** Every claim of a valid player assertion for GET /me/account, issued at {@code at}. */
    private static JWTCreator.Builder claims(Instant at) {
        return JWT.create().withIssuer(CallerAssertion.ISSUER).withAudience(CallerAssertion.AUDIENCE)
                .withSubject("alice").withClaim("roles", List.of()).withClaim("htm", "GET")
                .withClaim("htu", "/me/account").withIssuedAt(at).withExpiresAt(at.plusSeconds(30));
    }

    private static Algorithm hs256() {
        return Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String token, String method, String path, String reason) {
        assertThatThrownBy(() -> verifier.verify(token, method, path))
                .isInstanceOf(AssertionRefusedException.class)
                .hasMessage(reason);
    }
}
