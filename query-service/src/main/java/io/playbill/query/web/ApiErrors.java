package io.playbill.query.web;

import io.playbill.service.outage.Outages;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.Locale;
import java.util.Optional;

/**
 * Every error as {@link ApiErrorBody}, always JSON (also when the caller asked for CSV), with a 4xx status for
 * anything the caller can fix, and every 503 with {@code Retry-After} (the database or the broker is down, or
 * the rows asked for are busy).
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** With the headers the refusal carries; a 503 without a {@code Retry-After} of its own gets the outages' one. */
    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiErrorBody> refused(ApiException e) {
        return ResponseEntity.status(e.status()).headers(withRetryAfter(e.status(), e.headers()))
                .contentType(MediaType.APPLICATION_JSON).body(ApiErrorBody.of(e.code(), e.getMessage()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiErrorBody> missing(MissingServletRequestParameterException e) {
        return body(HttpStatus.BAD_REQUEST, "missing_" + e.getParameterName().replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT), "The parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiErrorBody> mistyped(MethodArgumentTypeMismatchException e) {
        ApiException invalid = ApiException.invalidField(e.getName(), "The parameter " + e.getName()
                + " has an invalid value");
        return body(invalid.status(), invalid.code(), invalid.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                "Answers are application/json or text/csv");
    }

    /** Spring MVC's own errors (404, 405, 415, ...) carry their status. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiErrorBody> other(Exception e) {
        if (e instanceof ErrorResponse response) {
            HttpStatusCode status = response.getStatusCode();
            String message = response.getBody().getDetail() != null ? response.getBody().getDetail() : e.getMessage();
            // With the headers the status promises, e.g. Allow of a 405.
            return ResponseEntity.status(status).headers(withRetryAfter(status, response.getHeaders()))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(ApiErrorBody.of(ApiErrorBody.codeFor(status.value()), message));
        }
        Optional<Outages.Dependency> down = Outages.of(e);
        if (down.isPresent()) {
            log.warn("Request refused: {} ({})", down.get().message(), e.toString());
            return Outages.unavailable().body(ApiErrorBody.of(down.get().code(), down.get().refusal()));
        }
        log.error("Request failed", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "The request failed; see the service log");
    }

    /** {@code headers}, and on a 503 that names no time of its own, the outages' {@code Retry-After}. */
    private static HttpHeaders withRetryAfter(HttpStatusCode status, HttpHeaders headers) {
        HttpHeaders answered = new HttpHeaders();
        answered.addAll(headers);
        if (status.isSameCodeAs(HttpStatus.SERVICE_UNAVAILABLE) && !answered.containsKey(HttpHeaders.RETRY_AFTER)) {
            answered.set(HttpHeaders.RETRY_AFTER, String.valueOf(Outages.RETRY_AFTER.toSeconds()));
        }
        return answered;
    }

    /** The content type is set explicitly, so the body is JSON whatever the request's Accept header said. */
    static ResponseEntity<ApiErrorBody> body(HttpStatusCode status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBody.of(code, message));
    }
}
