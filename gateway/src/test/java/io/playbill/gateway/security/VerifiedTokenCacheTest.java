package io.playbill.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.playbill.gateway.support.MovableClock;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cache of verified user tokens, attacked: a hit must refuse everything a full verification refuses.
 */
class VerifiedTokenCacheTest {

    private static final String SECRET = "a-user-secret-of-32-bytes-or-more";
    private static final UserJwtProperties SETTINGS = new UserJwtProperties(SECRET, null, null,
            UserTokens.DEV_ISSUER, List.of(UserTokens.DEV_AUDIENCE));

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T06:00:00Z"));
    private final AtomicInteger verifications = new AtomicInteger();
    private final VerifiedTokenCache cache = cache();

    @Test
    void aTokenSeenBeforeIsNotVerifiedAgain() {
        String token = token("alice", clock.instant().plus(Duration.ofHours(1)));

        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() {
        String token = token("alice", clock.instant().plus(Duration.ofMinutes(2)));
        cache.decode(token);

        // Past exp and the verifier's 60 s leeway; the cache's own timer (real time) has not run out.
        clock.advance(Duration.ofMinutes(3).plusSeconds(1));

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtException.class)
                .hasMessageContaining("expired");
        assertThat(verifications).hasValue(1);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFlippedSignatureByteIsRefusedWhileItsSiblingIsCached() {
        String token = token("alice", clock.instant().plus(Duration.ofHours(1)));
        cache.decode(token);

        String forged = withFlippedSignatureByte(token);

        assertThat(forged).isNotEqualTo(token);
        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void anEditedPayloadUnderACachedTokensSignatureIsRefused() {
        String token = token("alice", clock.instant().plus(Duration.ofHours(1)));
        cache.decode(token);
        String[] parts = token.split("\\.");
        String otherPayload = token("mallory", clock.instant().plus(Duration.ofHours(1))).split("\\.")[1];

        String forged = parts[0] + "." + otherPayload + "." + parts[2];

        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
    }

    @Test
    void aTokenPastItsExpInsideTheLeewayIsAcceptedButNotKept() {
        String token = token("alice", clock.instant().minusSeconds(30));

        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(cache.decode(token).getSubject()).isEqualTo("alice");
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aTokenForAnotherAudienceIsNotCachedAsValid() {
        JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(UserTokens.claims("alice",
                clock.instant().plus(Duration.ofHours(1)))).audience("webshop").build();
        String token = UserTokens.hs256(SECRET, otherAudience);

        assertThatThrownBy(() -> cache.decode(token)).hasMessageContaining("aud claim is not valid");
        assertThatThrownBy(() -> cache.decode(token)).hasMessageContaining("aud claim is not valid");
        assertThat(cache.size()).isZero();
    }

    private VerifiedTokenCache cache() {
        OAuth2TokenValidator<Jwt> claimChecks = UserJwtDecoders.validators(SETTINGS, clock);
        JwtDecoder verifier = UserJwtDecoders.verifier(SETTINGS, claimChecks);
        return new VerifiedTokenCache(token -> {
            verifications.incrementAndGet();
            return verifier.decode(token);
        }, claimChecks, clock);
    }

    private static String token(String user, Instant expiresAt) {
        return UserTokens.hs256(SECRET, UserTokens.claims(user, expiresAt));
    }

    private static String withFlippedSignatureByte(String token) {
        int dot = token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[0] ^= 0x01;
        return token.substring(0, dot + 1) + new String(Base64.getUrlEncoder().withoutPadding().encode(signature),
                StandardCharsets.US_ASCII);
    }
}
