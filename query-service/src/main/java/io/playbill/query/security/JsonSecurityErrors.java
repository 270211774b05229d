package io.playbill.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.trust.CallerAssertion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * Spring Security's refusals in the service's one error shape ({@link ApiErrorBody}, always JSON): 401
 * {@code unauthorized} without a valid caller assertion, 403 {@code forbidden} without the path's role, and 400
 * {@code bad_request} for a URL the firewall rejects (e.g. {@code ;} path parameters, {@code //}, {@code /../}),
 * which would otherwise reach the container's HTML error page.
 */
final class JsonSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final ObjectMapper json;

    JsonSecurityErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        Object refusal = request.getAttribute(AssertionFilter.REFUSAL);
        write(response, HttpStatus.UNAUTHORIZED, "unauthorized", refusal != null
                ? "The caller assertion was refused: " + refusal
                : "No caller assertion: requests reach this service through the gateway, which signs "
                        + CallerAssertion.HEADER);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(response, HttpStatus.FORBIDDEN, "forbidden", "This path needs a role the caller does not have");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        // The firewall's own message can quote the request; the answer does not.
        write(response, HttpStatus.BAD_REQUEST, "bad_request", "The URL is not in canonical form (no ';' path"
                + " parameters, '//', '.' or '..' segments, encoded '%' or '.')");
    }

    private void write(HttpServletResponse response, HttpStatus status, String code, String message)
            throws IOException {
        ApiErrorBody.write(response, json, status, code, message);
    }
}
