package io.playbill.gateway.security;

import io.playbill.gateway.web.JsonErrorWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

import java.io.IOException;

/** Spring's CORS checks, but a refused cross-origin request gets the gateway's JSON error instead of plain text. */
final class JsonCorsProcessor extends DefaultCorsProcessor {

    static final String CORS_REJECTED = "cors_rejected";

    private final JsonErrorWriter errors;

    JsonCorsProcessor(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void rejectRequest(ServerHttpResponse response) throws IOException {
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getBody().write(errors.bytes(CORS_REJECTED, "This origin, method or header is not allowed "
                + "cross-origin (see playbill.cors.allowed-origins)"));
        response.flush();
    }
}
