package io.playbill.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpHeaders;

/** One HTTP answer, with helpers for the gateway's JSON. */
public record HttpResult(int status, HttpHeaders headers, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("Not JSON (status " + status + "): " + body, e);
        }
    }

    /** {@code error.code} of an error body; fails if the body is not the gateway's error shape. */
    public String errorCode() {
        JsonNode error = json().path("error");
        if (!error.path("code").isTextual() || !error.path("message").isTextual() || error.size() != 2) {
            throw new AssertionError("Not an {\"error\":{\"code\",\"message\"}} body (status " + status + "): " + body);
        }
        return error.get("code").asText();
    }

    public String token() {
        JsonNode token = json().path("token");
        if (!token.isTextual()) {
            throw new AssertionError("No token (status " + status + "): " + body);
        }
        return token.asText();
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
