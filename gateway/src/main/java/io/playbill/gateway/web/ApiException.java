package io.playbill.gateway.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** A request the gateway answers with an error: the HTTP status and the stable {@code code} of the error body. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        // An expected outcome, not a bug: no stack trace to fill in.
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** A 400 naming the request field or parameter at fault: code {@code invalid_<field in snake case>}. */
    public static ApiException invalidField(String field, String problem) {
        return new ApiException(HttpStatus.BAD_REQUEST, ErrorCodes.forField(field), field + " " + problem);
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
