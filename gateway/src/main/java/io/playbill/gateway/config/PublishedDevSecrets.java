package io.playbill.gateway.config;

import java.util.Map;
import java.util.Optional;

/**
 * The development secrets that are public because they are committed: in {@code application-standalone.yml},
 * {@code infra/standalone}'s {@code DevCredentials} and the GS emulator's README; and the token spec's sample secret,
 * which a service set up from the spec's examples may hold. Anyone can mint user tokens or SDK tokens with them, so
 * outside dev mode the gateway refuses to run with any of them ({@link DevModeGuard}), even with a short secret
 * allowed.
 * Only ever compared, never printed.
 */
final class PublishedDevSecrets {

    /** Secret value → where it is published. */
    private static final Map<String, String> PUBLISHED = Map.of(
            "playbill-dev-user-secret-0123456789abcdef0123456789", "the dev user-JWT secret",
            "playbill-dev-customer-secret-0123456789abcdef012", "the dev customer (SDK token) secret",
            "playbill-dev-secret-id", "the GS emulator's dev SecretId",
            "playbill-dev-secret-key", "the GS emulator's dev SecretKey",
            "your-256-bit-secret", "the token spec's sample secret");

    /** What {@code value} is, when it is one of the published development secrets. */
    static Optional<String> nameOf(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(PUBLISHED.get(value.trim()));
    }

    private PublishedDevSecrets() {
    }
}
