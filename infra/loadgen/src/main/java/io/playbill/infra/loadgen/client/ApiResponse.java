package io.playbill.infra.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The final answer to one gateway call, after any retries. A transport failure (timeout, refused connection)
 * that was not retried, or failed its last retry, is status 0 with the failure in {@code body}, so callers handle
 * one shape.
 *
 * @param sentNanos     when the first attempt was sent ({@link System#nanoTime()})
 * @param receivedNanos when the final answer arrived
 * @param attempts      how many times the request was sent
 */
public record ApiResponse(int status, String body, long sentNanos, long receivedNanos, int attempts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The {@code token} of a token response. */
    public String token() {
        return json().path("token").asText();
    }

    /** A number field of a JSON response, e.g. {@code balance}. */
    public long longField(String name) {
        JsonNode value = json().get(name);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalStateException("The response has no integer '" + name + "': " + body);
        }
        return value.asLong();
    }

    /** What went wrong, short: the gateway's error code, else the status, else the transport failure. */
    public String failureReason() {
        if (status == 0) {
            return body;
        }
        String code = errorCode();
        return code.isEmpty() ? "http_" + status : status + " " + code;
    }

    /** The gateway's {@code error.code}, empty when the answer has none. */
    public String errorCode() {
        return json().path("error").path("code").asText("");
    }

    private JsonNode json() {
        try {
            return JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
