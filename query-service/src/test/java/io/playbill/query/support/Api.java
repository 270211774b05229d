package io.playbill.query.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Calls query-service as the gateway does: with {@code X-Playbill-User} and {@code X-Playbill-Roles}. */
public final class Api {

    private final TestRestTemplate http;
    private final ObjectMapper json;

    Api(TestRestTemplate http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    public Response get(String path, String user, String roles) {
        return call(HttpMethod.GET, path, user, roles, "application/json");
    }

    public Response csv(String path, String user, String roles) {
        return call(HttpMethod.GET, path, user, roles, "text/csv");
    }

    public Response post(String path, String user, String roles) {
        return call(HttpMethod.POST, path, user, roles, "application/json");
    }

    public Response call(HttpMethod method, String path, String user, String roles, String accept) {
        HttpHeaders headers = new HttpHeaders();
        if (user != null) {
            headers.set("X-Playbill-User", user);
        }
        if (roles != null) {
            headers.set("X-Playbill-Roles", roles);
        }
        headers.set(HttpHeaders.ACCEPT, accept);
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(headers), String.class);
        return new Response(response.getStatusCode().value(), response.getHeaders().getFirst("Content-Type"),
                response.getBody() == null ? "" : response.getBody(), json);
    }

    /** Status, content type and body. */
    public record Response(int status, String contentType, String body, ObjectMapper mapper) {

        public JsonNode json() {
            try {
                return mapper.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
            }
        }
    }
}
