package io.playbill.gateway.web;

import io.playbill.service.web.ApiErrorBody;
import org.springframework.http.HttpStatusCode;

/** The stable error codes that do not come from a specific rule. */
public final class ErrorCodes {

    /** 400 for a request refused before routing, e.g. by Spring Security's firewall. */
    public static final String BAD_REQUEST = "bad_request";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String BODY_TOO_LARGE = "body_too_large";
    /** 429: the user sent more requests than their rate allows (playbill.rate-limit). */
    public static final String RATE_LIMITED = "rate_limited";
    /** 503: the gateway works on as many requests of this kind as it takes at once (playbill.concurrency). */
    public static final String BUSY = "busy";
    /** 503: the user token could not be checked because the identity provider's keys could not be fetched. */
    public static final String IDENTITY_PROVIDER_UNAVAILABLE = "identity_provider_unavailable";
    public static final String INTERNAL_ERROR = "internal_error";

    /** The code for an error known only by its HTTP status (404s, 405s, Spring's own errors). */
    public static String forStatus(HttpStatusCode status) {
        return ApiErrorBody.codeFor(status.value());
    }

    private ErrorCodes() {
    }
}
