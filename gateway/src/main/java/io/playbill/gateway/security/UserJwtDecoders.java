package io.playbill.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.playbill.gateway.config.InvalidSettingsException;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.Jwt;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds the verifier of user JWTs. Each decoder accepts exactly one algorithm (HS256 for a shared secret, RS256
 * for a public key or JWK set), which rules out {@code alg=none} and HS/RS confusion. Every token must carry
 * {@code exp} (checked against the gateway clock, 60 s leeway) and a clean {@code sub} of at most 64 bytes
 * ({@link UserIdValidator}); when configured, {@code iss} must equal the issuer and {@code aud} must contain one of
 * the audiences. Verified tokens are remembered until their {@code exp} ({@link VerifiedTokenCache}).
 */
public final class UserJwtDecoders {

    static final int KEY_FETCH_TIMEOUT_MILLIS = 2_000;
    static final int KEY_SET_SIZE_LIMIT = 256 * 1024;
    static final long KEY_FETCH_INTERVAL_MILLIS = 30_000;

    public static JwtDecoder create(UserJwtProperties settings, Clock clock) {
        OAuth2TokenValidator<Jwt> claimChecks = validators(settings, clock);
        return new VerifiedTokenCache(verifier(settings, claimChecks), claimChecks, clock);
    }

    /** Signature and claims, every time: the decoder behind the cache. */
    static JwtDecoder verifier(UserJwtProperties settings, OAuth2TokenValidator<Jwt> claimChecks) {
        NimbusJwtDecoder decoder;
        if (UserJwtProperties.hasText(settings.hmacSecret())) {
            byte[] secret = settings.hmacSecret().getBytes(StandardCharsets.UTF_8);
            decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        } else if (UserJwtProperties.hasText(settings.publicKey())) {
            decoder = NimbusJwtDecoder.withPublicKey(parsePublicKey(settings.publicKey()))
                    .signatureAlgorithm(SignatureAlgorithm.RS256).build();
        } else {
            JWKSource<SecurityContext> keys = identityProviderKeys(settings.jwkSetUri());
            decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                            new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys)))
                    .build();
        }
        decoder.setJwtValidator(claimChecks);
        return decoder;
    }

    /**
     * The identity provider's keys, fetched with bounded waits and at most twice per
     * {@link #KEY_FETCH_INTERVAL_MILLIS} (Nimbus's rate limit, under its cache: the cache's refreshes count too). A
     * token naming a key the set does not hold makes the set be fetched again (a new key after a rotation); without
     * the rate limit, anyone could make the gateway fetch it once per request by sending tokens with made-up key
     * ids, and the fetches (under a lock, without timeouts in Spring's default) would hold request threads while the
     * provider throttled the gateway. Over the limit, such a token is answered 503 {@code
     * identity_provider_unavailable}, like an outage: a real new key is found at the next allowed fetch.
     */
    private static JWKSource<SecurityContext> identityProviderKeys(String jwkSetUri) {
        URL url;
        try {
            url = URI.create(jwkSetUri).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new InvalidSettingsException(
                    List.of("playbill.security.user-jwt.jwk-set-uri must be an http(s) URL"));
        }
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(
                        KEY_FETCH_TIMEOUT_MILLIS, KEY_FETCH_TIMEOUT_MILLIS, KEY_SET_SIZE_LIMIT))
                .cache(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE, JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .rateLimited(KEY_FETCH_INTERVAL_MILLIS)
                .build();
    }

    static OAuth2TokenValidator<Jwt> validators(UserJwtProperties settings, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        // JwtTimestampValidator accepts a token without exp; a user token that never expires is refused.
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        validators.add(timestamps);
        if (settings.issuer() != null) {
            validators.add(new JwtIssuerValidator(settings.issuer()));
        }
        if (!settings.audiences().isEmpty()) {
            // JwtAudienceValidator takes one audience; this is its rule for several (aud is a list once decoded).
            List<String> audiences = settings.audiences();
            validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
        }
        validators.add(new UserIdValidator());
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static RSAPublicKey parsePublicKey(String pem) {
        try {
            return RsaKeyConverters.x509().convert(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
        } catch (RuntimeException e) {
            throw new InvalidSettingsException(List.of("playbill.security.user-jwt.public-key is not an RSA public "
                    + "key in PEM form (-----BEGIN PUBLIC KEY-----): " + e.getMessage()));
        }
    }

    private UserJwtDecoders() {
    }
}
