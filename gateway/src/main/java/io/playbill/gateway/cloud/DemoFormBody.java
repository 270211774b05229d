package io.playbill.gateway.cloud;

import io.playbill.gateway.web.BodyTooLargeException;
import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the body of a v2 demo path's form post as it was sent, for {@link TencentV2Controller}. Spring Cloud Gateway
 * MVC's form filter hands a form post on as a body rebuilt from the servlet's parsed parameters, and that parse
 * cuts a name at its first {@code =} and turns {@code +} into a space: JSON sent with a form's content type
 * ({@code curl -d}, jQuery's {@code $.post}) lost its ClientSession, whose Base64 holds {@code +}, {@code /} and
 * {@code =}. Read here first, the servlet never parses the body (it does not once its stream was read), so the form
 * filter rebuilds only the query's parameters. Ordered after {@code RequestBodyLimitFilter} (so the body's limit holds),
 * authentication, the rate limit and the concurrency budgets (so no body is read for a caller refused anyway), and
 * before the form filter (order 9901).
 */
@Component
@Order(0)
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = {"enabled", "demo-compat"}, havingValue = "true")
class DemoFormBody extends OncePerRequestFilter {

    private static final String ATTRIBUTE = DemoFormBody.class.getName();
    static final Set<String> PATHS = Set.of("/StartGame", "/StopGame", "/Enqueue", "/Dequeue");

    private final JsonErrorWriter errors;

    DemoFormBody(JsonErrorWriter errors) {
        this.errors = errors;
    }

    /** The form post's body as sent, if {@code request} is a form post to a v2 demo path. */
    static Optional<String> of(HttpServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(ATTRIBUTE));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String contentType = request.getContentType();
        return !"POST".equals(request.getMethod()) || contentType == null
                || !contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
                || !PATHS.contains(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.setAttribute(ATTRIBUTE, new String(request.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } catch (BodyTooLargeException e) {
            errors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, ErrorCodes.BODY_TOO_LARGE, e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }
}
