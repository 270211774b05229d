package io.playbill.gateway.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for a gateway on localhost: real sockets, real Tomcat, real error dispatch. */
public final class GatewayHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;

    public GatewayHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public HttpResult get(String path, String userToken) {
        return send(request(path, userToken).GET());
    }

    public HttpResult post(String path, String userToken, String json) {
        return send(request(path, userToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResult put(String path, String userToken, String json) {
        return send(request(path, userToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResult delete(String path, String userToken) {
        return send(request(path, userToken).DELETE());
    }

    /** A POST without a body. */
    public HttpResult post(String path, String userToken) {
        return send(request(path, userToken).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A POST whose body is sent chunked, without Content-Length. */
    public HttpResult postChunked(String path, String userToken, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return send(request(path, userToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    public CompletableFuture<HttpResult> postAsync(String path, String userToken, String json) {
        HttpRequest request = request(path, userToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new HttpResult(r.statusCode(), r.headers(), r.body()));
    }

    /** A request builder for {@code path}, with the user's bearer token unless it is null. */
    public HttpRequest.Builder request(String path, String userToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (userToken != null) {
            builder.header("Authorization", "Bearer " + userToken);
        }
        return builder;
    }

    public HttpResult send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
