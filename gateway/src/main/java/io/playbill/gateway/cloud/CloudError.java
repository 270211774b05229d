package io.playbill.gateway.cloud;

import io.playbill.service.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** An {@link ApiException} for a GS failure; "try again shortly" failures carry {@code Retry-After}. */
final class CloudError extends ApiException {

    private final long retryAfterSeconds;

    CloudError(HttpStatus status, String code, String message, long retryAfterSeconds) {
        super(status, code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpHeaders headers() {
        if (retryAfterSeconds <= 0) {
            return HttpHeaders.EMPTY;
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        return headers;
    }
}
