package io.playbill.service.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one error shape of every service: {@code {"error":{"code":"…","message":"…"}}}. {@code code} is stable,
 * lowercase and meant for programs; {@code message} is for people and may change.
 */
public record ApiErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ApiErrorBody of(String code, String message) {
        return new ApiErrorBody(new Detail(code, message));
    }

    /** The code of an error known only by its HTTP status (404s, 405s, the servlet container's own refusals). */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }

    /** Answers {@code response} with this shape, for refusals made outside Spring MVC (security filter chains). */
    public static void write(HttpServletResponse response, ObjectMapper json, HttpStatus status, String code,
                             String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        json.writeValue(response.getOutputStream(), of(code, message));
    }
}
