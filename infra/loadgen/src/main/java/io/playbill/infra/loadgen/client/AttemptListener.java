package io.playbill.infra.loadgen.client;

import java.net.http.HttpRequest;

/**
 * Told of every attempt of every call, retries included, as it ends: what the platform answered, and when. The
 * chaos soak tells from it when each service stopped and started answering.
 */
@FunctionalInterface
public interface AttemptListener {

    AttemptListener NONE = (call, request, status, body, sentNanos, receivedNanos) -> {
    };

    /**
     * @param status the HTTP status, or 0 when the request timed out or lost its connection
     * @param body   the answer's body (null for a transport failure)
     */
    void attempted(Call call, HttpRequest request, int status, String body, long sentNanos, long receivedNanos);
}
