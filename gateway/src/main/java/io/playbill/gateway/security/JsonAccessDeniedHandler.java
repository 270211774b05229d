package io.playbill.gateway.security;

import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/** 403 for an authenticated user without the role an endpoint needs, in the gateway's JSON error shape. */
final class JsonAccessDeniedHandler implements AccessDeniedHandler {

    private final BearerTokenAccessDeniedHandler bearerHeader = new BearerTokenAccessDeniedHandler();
    private final JsonErrorWriter errors;

    JsonAccessDeniedHandler(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearerHeader.handle(request, response, denied);
        errors.write(response, HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                "The user's roles do not allow this request");
    }
}
