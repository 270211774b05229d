package io.playbill.gateway.web;

import io.playbill.service.outage.Outages;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Maps every exception a controller (or Spring MVC around it) raises to the {@link ApiErrorBody} shape.
 *
 * <p>Input rules: a field or parameter that breaks its rule answers 400 {@code invalid_<field>} (for example
 * {@code invalid_session}, {@code invalid_last_deadline}), whether the JSON had the wrong type or the value broke
 * a constraint. When several are wrong, the message lists all and the code names the first in alphabetical order.
 * A body that is not one JSON object answers {@code malformed_json}. Unknown JSON fields are ignored.
 * Error bodies are always JSON, even to a client that asked for something else.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    /** Why Spring Security's firewall refused a request; its own message may quote the request, this one does not. */
    public static final String FIREWALL_REFUSAL = "The request was refused: a method, path, header or parameter name"
            + " the gateway does not accept (e.g. control characters, ';' path parameters, encoded slashes)";

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiErrorBody> handleApiException(ApiException e) {
        return ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBody.of(e.code(), e.getMessage()));
    }

    /** The answer to a failure Spring MVC never sees: a controller's future that failed ({@link FutureAnswers}). */
    ResponseEntity<ApiErrorBody> answerFor(Throwable failure) {
        if (failure instanceof ApiException refusal) {
            return handleApiException(refusal);
        }
        return handleUnexpected(failure instanceof Exception e ? e : new IllegalStateException(failure));
    }

    /**
     * The firewall checks header values and parameter names when they are first read, which can be inside Spring MVC
     * (the read routes' handler mapping reads every header): a refusal there is the client's, not a failure.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ApiErrorBody> handleRejected(RequestRejectedException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBody.of(ErrorCodes.BAD_REQUEST, FIREWALL_REFUSAL));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiErrorBody> handleUnexpected(Exception e) {
        Optional<Outages.Dependency> down = Outages.of(e);
        if (down.isPresent()) {
            // Nothing was changed, and the same request succeeds once the dependency is back.
            log.warn("Request refused: {} ({})", down.get().message(), e.toString());
            return Outages.unavailable().body(ApiErrorBody.of(down.get().code(), down.get().refusal()));
        }
        log.error("Unexpected failure while handling a request", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBody.of(ErrorCodes.INTERNAL_ERROR, "Internal error"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(error -> violations.add(Violation.of(error)));
        ex.getBindingResult().getGlobalErrors()
                .forEach(error -> violations.add(new Violation(error.getObjectName(), error.getDefaultMessage())));
        return invalidInput(ex, violations, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors errors) {
                errors.getFieldErrors().forEach(error -> violations.add(Violation.of(error)));
            } else {
                String name = result.getMethodParameter().getParameterName();
                result.getResolvableErrors()
                        .forEach(error -> violations.add(new Violation(name, error.getDefaultMessage())));
            }
        }
        return invalidInput(ex, violations, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalidInput(ex, List.of(new Violation(ex.getParameterName(), "is required")), headers, request);
    }

    /** A parameter that is not of its type ({@code ?page=x}) breaks its rule like any other value. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : null;
        if (name == null || !JsonFieldProblem.FIELD_NAME.matcher(name).matches()) {
            return super.handleTypeMismatch(ex, headers, status, request);
        }
        return invalidInput(ex, List.of(new Violation(name, "has an invalid value")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = causeOf(ex, BodyTooLargeException.class);
        if (tooLarge != null) {
            return error(ex, HttpStatus.PAYLOAD_TOO_LARGE, ErrorCodes.BODY_TOO_LARGE, tooLarge.getMessage(), headers,
                    request);
        }
        JsonFieldProblem problem = JsonFieldProblem.of(ex);
        if (problem != null) {
            return invalidInput(ex, List.of(new Violation(problem.field(), problem.expectation())), headers, request);
        }
        return error(ex, HttpStatus.BAD_REQUEST, ErrorCodes.MALFORMED_JSON,
                "The request body must be one JSON object", headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return error(ex, HttpStatus.NOT_FOUND, ErrorCodes.forStatus(HttpStatus.NOT_FOUND),
                "No endpoint " + ex.getHttpMethod() + " /" + ex.getResourcePath(), headers, request);
    }

    /** Every other Spring MVC error (405, 406, 415, …) arrives here with a ProblemDetail body: reshape it. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        Object errorBody = body;
        if (!(body instanceof ApiErrorBody)) {
            String message = body instanceof ProblemDetail problem && problem.getDetail() != null
                    ? problem.getDetail() : reasonOf(statusCode);
            errorBody = ApiErrorBody.of(ErrorCodes.forStatus(statusCode), message);
        }
        if (statusCode.is5xxServerError()) {
            log.warn("Request failed with {}", statusCode, ex);
        }
        return super.handleExceptionInternal(ex, errorBody, asJson(headers), statusCode, request);
    }

    private ResponseEntity<Object> invalidInput(Exception ex, List<Violation> violations, HttpHeaders headers,
            WebRequest request) {
        List<Violation> sorted = violations.stream().sorted(Comparator.comparing(Violation::field)).toList();
        String message = sorted.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; "));
        return error(ex, HttpStatus.BAD_REQUEST, ApiException.invalidCode(sorted.get(0).field()), message, headers,
                request);
    }

    private ResponseEntity<Object> error(Exception ex, HttpStatus status, String code, String message,
            HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(ex, ApiErrorBody.of(code, message), headers, status, request);
    }

    /** Errors are JSON whatever the client's Accept header says (a preset Content-Type skips negotiation). */
    private static HttpHeaders asJson(HttpHeaders headers) {
        HttpHeaders json = new HttpHeaders();
        json.putAll(headers);
        json.setContentType(MediaType.APPLICATION_JSON);
        return json;
    }

    private static String reasonOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "HTTP " + status.value() : known.getReasonPhrase();
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private record Violation(String field, String message) {

        static Violation of(FieldError error) {
            return new Violation(error.getField(), error.getDefaultMessage());
        }
    }
}
