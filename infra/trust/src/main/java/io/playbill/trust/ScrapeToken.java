package io.playbill.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer token a metrics scraper (Prometheus) presents for {@code /actuator/prometheus}: the setting
 * {@value #PROPERTY} (environment variable {@value #ENVIRONMENT_VARIABLE}), the same in every service, at least
 * {@value #MIN_BYTES} bytes of RFC 6750 token characters, random (for example {@code openssl rand -base64 32}).
 * Unset, nobody may scrape. It is never printed: {@link #toString()} hides it, no problem message quotes it, and only
 * its SHA-256 digest is kept, which {@link #matches} compares in constant time.
 */
public final class ScrapeToken {

    public static final String PROPERTY = "playbill.metrics.scrape-token";
    public static final String ENVIRONMENT_VARIABLE = "PLAYBILL_METRICS_SCRAPE_TOKEN";
    public static final int MIN_BYTES = 32;

    /** RFC 6750 §2.1 b64token: what may follow {@code Bearer } in an Authorization header. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String BEARER = "bearer ";

    private final byte[] digest;

    private ScrapeToken(String token) {
        this.digest = sha256(token);
    }

    /**
     * What is wrong with {@code token} as a scrape token ("must be at least 32 bytes ..."), or null when it will do
     * or is not set (scraping is then closed); for settings checks that list every problem at once.
     */
    public static String problem(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return "may hold only letters, digits and - . _ ~ + / (then = padding): it is sent as"
                    + " 'Authorization: Bearer <token>' (e.g. openssl rand -base64 32)";
        }
        if (token.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            return "must be at least " + MIN_BYTES + " bytes (e.g. openssl rand -base64 32)";
        }
        return null;
    }

    /**
     * The token, or empty when it is not set (nobody may scrape); {@link IllegalArgumentException} naming the
     * {@link #problem(String)} (never the value) when it is set but weak.
     */
    public static Optional<ScrapeToken> of(String token) {
        String problem = problem(token);
        if (problem != null) {
            throw new IllegalArgumentException(PROPERTY + " " + problem);
        }
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(new ScrapeToken(token));
    }

    /** A new random token (32 random bytes, URL-safe Base64): what {@code ./playbill up} makes per run. */
    public static String random() {
        byte[] bytes = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header value (scheme case-insensitive, RFC 7235), or
     * null when the header is missing or is not a well-formed bearer credential.
     */
    public static String bearerOf(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).trim();
        return B64TOKEN.matcher(token).matches() ? token : null;
    }

    /** Whether {@code presented} is this token; the time taken does not depend on where they differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ScrapeToken[hidden]";
    }
}
