package io.playbill.gateway.security;

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
            decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256).build();
        }
        decoder.setJwtValidator(claimChecks);
        return decoder;
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
