package io.playbill.infra.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads a JWT's claims without verifying it. The simulated SDK, like the real one, only needs what the token
 * says (the renew {@code deadline}, the {@code queue}); the cloud-gaming service is the one that verifies.
 */
public final class Jwts {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Not a JWT (expected three dot-separated parts)");
        }
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Unreadable JWT payload: " + e.getMessage(), e);
        }
    }

    private Jwts() {
    }
}
