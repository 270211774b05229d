package io.playbill.service.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.Locale;

/**
 * A request a service refuses: the HTTP status and the stable {@code code} of the {@link ApiErrorBody} it is
 * answered with. The gateway and query-service both throw it, so their error codes follow one rule.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        // An expected outcome, not a bug: no stack trace to fill in.
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    /** A 400 naming the request field or parameter at fault, with the code {@link #invalidCode}. */
    public static ApiException invalidField(String field, String message) {
        return badRequest(invalidCode(field), message);
    }

    /** {@code lastDeadline} → {@code invalid_last_deadline}: one rule for every field and parameter. */
    public static String invalidCode(String field) {
        return "invalid_" + field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Extra response headers; none by default. */
    public HttpHeaders headers() {
        return HttpHeaders.EMPTY;
    }
}
