package io.playbill.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Refuses a form POST whose query string holds a malformed percent escape ({@code ?%=1}) with a JSON 400. Spring
 * Cloud Gateway MVC's form filter, which the v2 demo paths rely on for form posts, decodes the query of every form
 * POST to tell query parameters from form fields, and threw on such an escape: a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 8)
public class MalformedFormQueryFilter extends OncePerRequestFilter {

    private final JsonErrorWriter errors;

    public MalformedFormQueryFilter(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isFormPost(request) && !decodes(request.getQueryString())) {
            errors.write(response, HttpStatus.BAD_REQUEST, ErrorCodes.BAD_REQUEST,
                    "The query string holds a malformed percent escape");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isFormPost(HttpServletRequest request) {
        String contentType = request.getContentType();
        return "POST".equals(request.getMethod()) && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    /** Whether every name and value decodes as the form filter decodes them. */
    static boolean decodes(String query) {
        if (query == null) {
            return true;
        }
        try {
            for (String part : query.split("[&=]")) {
                URLDecoder.decode(part, StandardCharsets.UTF_8);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
