package io.playbill.gateway.security;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * How user JWTs from the customer's identity provider are verified ({@code playbill.security.user-jwt.*}).
 * Exactly one key source must be set. Issuer and audiences are checked when set; outside dev mode both are
 * required ({@link io.playbill.gateway.config.DevModeGuard}), so that a token the same identity provider issued
 * for another application (an ID token included) is not accepted here.
 *
 * @param hmacSecret a shared secret: tokens are HS256, the secret at least 32 bytes
 * @param publicKey  an RSA public key in PEM ({@code -----BEGIN PUBLIC KEY-----}): tokens are RS256
 * @param jwkSetUri  the identity provider's JWK set URL: tokens are RS256, keys fetched and cached on demand
 * @param issuer     the exact {@code iss} every user token must carry
 * @param audiences  the token's {@code aud} must contain at least one of these
 */
@ConfigurationProperties("playbill.security.user-jwt")
public record UserJwtProperties(String hmacSecret, String publicKey, String jwkSetUri, String issuer,
                                @DefaultValue List<String> audiences) {

    static final int MIN_HMAC_SECRET_BYTES = 32;

    public UserJwtProperties {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        long keySources = Stream.of(hmacSecret, publicKey, jwkSetUri).filter(UserJwtProperties::hasText).count();
        new SettingsCheck("playbill.security.user-jwt")
                .requireTogether(keySources == 1, "exactly one of hmac-secret, public-key or jwk-set-uri must be set "
                        + "to verify user tokens (" + keySources + " set)")
                .require(!hasText(hmacSecret)
                                || hmacSecret.getBytes(StandardCharsets.UTF_8).length >= MIN_HMAC_SECRET_BYTES,
                        "hmac-secret", "must be at least " + MIN_HMAC_SECRET_BYTES + " bytes for HS256")
                .require(!hasText(jwkSetUri) || isHttpUrl(jwkSetUri), "jwk-set-uri", "must be an http(s) URL")
                .require(issuer == null || hasText(issuer), "issuer", "must not be blank")
                .require(audiences.stream().allMatch(UserJwtProperties::hasText), "audiences",
                        "entries must not be blank")
                .throwIfInvalid();
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "UserJwtProperties[hmacSecret=" + (hasText(hmacSecret) ? "(hidden)" : "(none)") + ", publicKey="
                + (hasText(publicKey) ? "(set)" : "(none)") + ", jwkSetUri=" + jwkSetUri + ", issuer=" + issuer
                + ", audiences=" + audiences + "]";
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static boolean isHttpUrl(String value) {
        try {
            String scheme = URI.create(value).getScheme();
            return "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
