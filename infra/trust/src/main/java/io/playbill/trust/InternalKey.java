package io.playbill.trust;

import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;

/**
 * The key the gateway and query-service share to sign and verify caller assertions: the setting
 * {@value #PROPERTY} (environment variable {@value #ENVIRONMENT_VARIABLE}), at least {@value #MIN_BYTES} bytes of
 * UTF-8, random (for example {@code openssl rand -base64 32}). It is never printed: {@link #toString()} hides it and
 * no problem message quotes it.
 */
public final class InternalKey {

    public static final String PROPERTY = "playbill.internal.key";
    public static final String ENVIRONMENT_VARIABLE = "PLAYBILL_INTERNAL_KEY";
    /** HS256 needs a key at least as long as its hash (RFC 7518 §3.2). */
    public static final int MIN_BYTES = 32;

    private final byte[] bytes;

    private InternalKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * What is wrong with {@code secret} as a key ("is not set", "must be at least 32 bytes ..."), or null when it
     * will do; for settings checks that list every problem at once.
     */
    public static String problem(String secret) {
        if (secret == null || secret.isBlank()) {
            return "is not set (" + ENVIRONMENT_VARIABLE + "): the gateway and query-service need the same random key";
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
            return "must be at least " + MIN_BYTES + " bytes (e.g. openssl rand -base64 32)";
        }
        return null;
    }

    /** The key, or {@link IllegalArgumentException} naming the {@link #problem(String)} (never the value). */
    public static InternalKey of(String secret) {
        String problem = problem(secret);
        if (problem != null) {
            throw new IllegalArgumentException(PROPERTY + " " + problem);
        }
        return new InternalKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    Algorithm hs256() {
        return Algorithm.HMAC256(bytes);
    }

    @Override
    public String toString() {
        return "InternalKey[hidden]";
    }
}
