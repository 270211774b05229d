package io.playbill.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Remembers the user tokens it verified, so that an SDK renewing every few seconds with the same token costs one
 * parse and signature check, not one per request (decision 026).
 *
 * <p>The key is the whole token string, signature included: a token differing in any byte (a flipped signature
 * byte, an edited claim) is a different key and is verified from scratch. A hit re-runs every claim check ({@code
 * exp} against the gateway clock, {@code iss}, {@code aud}, {@code sub}), so a cached token is refused the moment
 * it expires. An entry lives at most until the token's {@code exp} and never longer than {@link #MAX_AGE}, which
 * bounds how long a token signed by a key the identity provider has since withdrawn stays accepted.
 */
final class VerifiedTokenCache implements JwtDecoder {

    /** Enough for every player of a busy instance renewing within the SDK's window; bounded for memory. */
    static final int MAX_ENTRIES = 10_000;
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> claimChecks;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifier    checks signature and claims (the decoder without cache)
     * @param claimChecks the verifier's claim checks, re-run on every hit
     */
    VerifiedTokenCache(JwtDecoder verifier, OAuth2TokenValidator<Jwt> claimChecks, Clock clock) {
        this.verifier = verifier;
        this.claimChecks = claimChecks;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfter(new UntilExpiry()).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known == null) {
            Jwt jwt = verifier.decode(token);
            // One inside exp's leeway is accepted but not kept.
            if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(clock.instant())) {
                verified.put(token, jwt);
            }
            return jwt;
        }
        OAuth2TokenValidatorResult result = claimChecks.validate(known);
        if (result.hasErrors()) {
            verified.invalidate(token);
            // NimbusJwtDecoder's wording, so a refusal reads the same with or without a hit.
            throw new JwtValidationException("An error occurred while attempting to decode the Jwt: "
                    + result.getErrors().stream().map(OAuth2Error::getDescription).filter(Objects::nonNull)
                    .findFirst().orElse("Unable to validate Jwt"), result.getErrors());
        }
        return known;
    }

    /** Number of tokens held; for tests. */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** Until the token's {@code exp} by the gateway clock, at most {@link #MAX_AGE}; reads do not extend it. */
    private final class UntilExpiry implements Expiry<String, Jwt> {

        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant expiresAt = jwt.getExpiresAt();
            Duration left = expiresAt == null ? Duration.ZERO : Duration.between(clock.instant(), expiresAt);
            return Math.max(0, Math.min(left.toNanos(), MAX_AGE.toNanos()));
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return expireAfterCreate(token, jwt, currentTime);
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
