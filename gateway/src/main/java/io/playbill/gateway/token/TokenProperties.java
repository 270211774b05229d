package io.playbill.gateway.token;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How the SDK tokens are signed ({@code playbill.token.*}); checked at start-up against token-spec §1.
 *
 * @param issuer           the {@code iss} claim, chosen by the customer
 * @param customer         the {@code customer} claim, the customer's identifier
 * @param secret           the HMAC key shared with the cloud-gaming service (its UTF-8 bytes)
 * @param algorithm        {@code HS256} or {@code HS512}
 * @param ttl              {@code exp - iat}; at least 60 s and below 7200 s (a bare number means seconds)
 * @param allowShortSecret accept a secret shorter than the algorithm's hash (32 bytes for HS256, 64 for HS512)
 */
@ConfigurationProperties("playbill.token")
public record TokenProperties(String issuer, String customer, String secret,
                              @DefaultValue("HS256") String algorithm,
                              @DefaultValue("300s") @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
                              boolean allowShortSecret) {

    static final Duration MIN_TTL = Duration.ofSeconds(60);
    static final Duration MAX_TTL_EXCLUSIVE = Duration.ofSeconds(7200);

    public TokenProperties {
        SettingsCheck check = new SettingsCheck("playbill.token")
                .require(hasText(issuer), "issuer", "is not set: the 'iss' claim of every SDK token")
                .require(hasText(customer), "customer", "is not set: the customer identifier of every SDK token")
                .require(secret != null && !secret.isEmpty(), "secret",
                        "is not set: the secret shared with the cloud-gaming service")
                .require(TokenAlgorithm.named(algorithm).isPresent(), "algorithm",
                        "must be HS256 or HS512, not '" + algorithm + "'")
                .require(ttl != null && ttl.compareTo(MIN_TTL) >= 0, "ttl",
                        "must be at least 60 s (was " + describe(ttl) + ")")
                .require(ttl == null || ttl.compareTo(MAX_TTL_EXCLUSIVE) < 0, "ttl",
                        "must be below 7200 s (was " + describe(ttl) + ")");
        TokenAlgorithm.named(algorithm).ifPresent(alg -> {
            int length = secret == null ? 0 : secret.getBytes(StandardCharsets.UTF_8).length;
            check.require(length == 0 || allowShortSecret || length >= alg.minimumSecretBytes(), "secret",
                    "is " + length + " bytes, shorter than the " + alg.minimumSecretBytes() + " bytes " + alg
                            + " needs; use a longer secret or set playbill.token.allow-short-secret=true");
        });
        check.throwIfInvalid();
    }

    public TokenAlgorithm signingAlgorithm() {
        return TokenAlgorithm.named(algorithm).orElseThrow();
    }

    byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the secret out of logs and error messages. */
    @Override
    public String toString() {
        return "TokenProperties[issuer=" + issuer + ", customer=" + customer + ", secret=(hidden), algorithm="
                + algorithm + ", ttl=" + ttl + ", allowShortSecret=" + allowShortSecret + "]";
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static String describe(Duration ttl) {
        if (ttl == null) {
            return "not set";
        }
        return ttl.toMillis() % 1000 == 0 ? ttl.toSeconds() + " s" : ttl.toMillis() + " ms";
    }
}
