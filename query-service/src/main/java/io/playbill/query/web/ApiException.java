package io.playbill.query.web;

import org.springframework.http.HttpStatus;

/** A request this service refuses, answered as {@link ApiErrorBody} with the given status and code. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message);
    }

    /** {@code invalid_<parameter>}, the code of every malformed parameter. */
    public static ApiException invalidParameter(String parameter, String message) {
        return badRequest("invalid_" + parameter.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(), message);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
