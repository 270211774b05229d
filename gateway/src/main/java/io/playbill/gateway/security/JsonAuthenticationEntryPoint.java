package io.playbill.gateway.security;

import io.playbill.gateway.web.ErrorCodes;
import io.playbill.gateway.web.JsonErrorWriter;
import io.playbill.service.outage.Outages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;

/**
 * 401 for a missing or rejected user token: the standard {@code WWW-Authenticate: Bearer …} header plus the
 * gateway's JSON error body, saying why the token was rejected (never echoing the token).
 */
final class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint bearerHeader = new BearerTokenAuthenticationEntryPoint();
    private final JsonErrorWriter errors;

    JsonAuthenticationEntryPoint(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof AuthenticationServiceException) {
            // Not the token's fault: the identity provider's keys could not be fetched (a JWK set URL that does not
            // answer). Answered like any other dependency's outage, so the client retries instead of signing in again.
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Outages.RETRY_AFTER.toSeconds()));
            errors.write(response, HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.IDENTITY_PROVIDER_UNAVAILABLE,
                    "The user token could not be checked: the identity provider's keys are out of reach; retry"
                            + " shortly");
            return;
        }
        bearerHeader.commence(request, response, failure);
        errors.write(response, HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED, messageFor(failure));
    }

    private static String messageFor(AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException rejected
                && rejected.getError().getDescription() != null) {
            return "The bearer token was rejected: " + rejected.getError().getDescription();
        }
        return "Send the user's JWT as 'Authorization: Bearer <token>'";
    }
}
