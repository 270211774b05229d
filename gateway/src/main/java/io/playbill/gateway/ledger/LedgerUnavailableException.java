package io.playbill.gateway.ledger;

import io.playbill.service.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/**
 * 503 {@code ledger_unavailable} with {@code Retry-After}: the request may or may not have reached the ledger.
 * Retrying is safe: session calls are idempotent per session and money operations per reference.
 */
public class LedgerUnavailableException extends ApiException {

    private final Duration retryAfter;

    public LedgerUnavailableException(Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable",
                "The ledger did not answer in time; retry after " + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter.toSeconds()));
        return headers;
    }
}
