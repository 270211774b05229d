package io.playbill.query.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.trust.AssertionSigner;
import io.playbill.trust.CallerAssertion;
import io.playbill.trust.InternalKey;
import org.springframework.http.HttpMethod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calls query-service as the gateway does: with a caller assertion signed with the test context's internal key for
 * exactly the request sent. Paths go out byte for byte as given (JDK HttpClient, no re-encoding), so attack tests
 * control the raw URI.
 */
public final class Api {

    /** The internal key of the test application context ({@link QueryServiceTest} sets it). */
    public static final String INTERNAL_KEY = "query-service-test-internal-key-0123456789abcdef";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final ObjectMapper json;
    private final AssertionSigner signer;

    Api(String baseUrl, ObjectMapper json) {
        this.baseUrl = baseUrl;
        this.json = json;
        this.signer = new AssertionSigner(InternalKey.of(INTERNAL_KEY), Clock.systemUTC());
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

    /**
     * {@code user} (null: no assertion at all) with {@code roles} (comma-separated, may be null) asking for
     * {@code path} (with its query).
     */
    public Response call(HttpMethod method, String path, String user, String roles, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", accept);
        if (user != null) {
            headers.put(CallerAssertion.HEADER, assertion(method.name(), rawPath(path), rawQuery(path), user, roles));
        }
        return send(method.name(), path, headers);
    }

    /** A valid assertion, signed now, for a {@code method} request to {@code rawPath} (no query string). */
    public String assertion(String method, String rawPath, String user, String roles) {
        return assertion(method, rawPath, null, user, roles);
    }

    /** A valid assertion, signed now, for a {@code method} request to {@code rawPath} with {@code rawQuery}. */
    public String assertion(String method, String rawPath, String rawQuery, String user, String roles) {
        return signer.sign(new CallerAssertion(user, roles(roles), method, rawPath,
                CallerAssertion.canonicalQuery(rawQuery)));
    }

    /** Sends exactly this: the method, the raw path and query, the headers; nothing added but what HTTP needs. */
    public Response send(String method, String path, Map<String, String> headers) {
        return send(method, path, headers, null);
    }

    /** {@link #send(String, String, Map)} with a body (null for none). */
    public Response send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body() == null ? "" : response.body(), json, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The raw query string of {@code path}, null when it has none. */
    public static String rawQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? null : path.substring(query + 1);
    }

    /** The path without its query string, as a caller assertion names it. */
    public static String rawPath(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static Set<String> roles(String roles) {
        if (roles == null) {
            return Set.of();
        }
        return Arrays.stream(roles.split(",")).map(String::trim).filter(role -> !role.isEmpty())
                .collect(Collectors.toSet());
    }

    /** Status, content type and body. */
    public record Response(int status, String contentType, String body, ObjectMapper mapper, HttpHeaders headers) {

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return mapper.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + body, e);
            }
        }

        /** {@code "<status> <error code>"}, e.g. {@code "403 forbidden"}. */
        public String error() {
            return status + " " + json().path("error").path("code").asText();
        }
    }
}
