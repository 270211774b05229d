package io.playbill.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Verifies an HS256/HS512 JWT with nothing but the JDK's HMAC, Base64 and Jackson: independent of java-jwt, which
 * signs the gateway's tokens, so a bug there cannot hide itself. Gives the raw JSON, so claim types can be checked.
 */
public final class IndependentJwt {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The decoded parts of a token whose signature matched. */
    public record Verified(JsonNode header, JsonNode payload) {
    }

    public static Verified verify(String token, String secret) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new AssertionError("Not a compact JWS (3 parts): " + token);
        }
        JsonNode header = decode(parts[0]);
        String macAlgorithm = switch (header.path("alg").asText()) {
            case "HS256" -> "HmacSHA256";
            case "HS512" -> "HmacSHA512";
            default -> throw new AssertionError("Unexpected alg in header " + header);
        };
        byte[] expected = hmac(macAlgorithm, secret, parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
            throw new AssertionError("Signature does not match the secret");
        }
        return new Verified(header, decode(parts[1]));
    }

    private static byte[] hmac(String algorithm, String secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IOException e) {
            throw new AssertionError("Part is not Base64url JSON: " + part, e);
        }
    }

    private IndependentJwt() {
    }
}
