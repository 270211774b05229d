package io.playbill.gateway.token;

import com.auth0.jwt.algorithms.Algorithm;

import java.util.Arrays;
import java.util.Optional;

/** The JWT signing algorithms the cloud-gaming service accepts (token-spec §1). */
public enum TokenAlgorithm {

    HS256(32),
    HS512(64);

    private final int hashBytes;

    TokenAlgorithm(int hashBytes) {
        this.hashBytes = hashBytes;
    }

    /** A secret shorter than the hash output weakens the HMAC key (RFC 7518 §3.2). */
    public int minimumSecretBytes() {
        return hashBytes;
    }

    public static Optional<TokenAlgorithm> named(String name) {
        return Arrays.stream(values()).filter(a -> a.name().equals(name)).findFirst();
    }

    Algorithm withSecret(byte[] secret) {
        return switch (this) {
            case HS256 -> Algorithm.HMAC256(secret);
            case HS512 -> Algorithm.HMAC512(secret);
        };
    }
}
