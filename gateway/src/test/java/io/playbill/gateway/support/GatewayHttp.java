package io.playbill.gateway.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP client for a gateway on localhost: real sockets, real Tomcat, real error dispatch. */
public final class GatewayHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String base;
    private final int port;

    public GatewayHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.port = port;
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

    /**
     * A GET of {@code target} with these extra header lines, written byte for byte (UTF-8) on a plain socket: what no
     * conforming client sends (raw non-ASCII, control characters, characters a URI may not hold).
     */
    public HttpResult raw(String target, String... headerLines) {
        return rawRequest("GET", target, null, headerLines);
    }

    /** As {@link #raw(String, String...)}, with any method and, unless null, a body sent with its length. */
    public HttpResult rawRequest(String method, String target, String requestBody, String... headerLines) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n");
            for (String line : headerLines) {
                head.append(line).append("\r\n");
            }
            if (requestBody != null) {
                head.append("Content-Length: ").append(requestBody.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n");
            }
            head.append("\r\n");
            if (requestBody != null) {
                head.append(requestBody);
            }
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            String[] lines = answer.substring(0, end).split("\r\n");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            String body = answer.substring(end + 4);
            if (headers.containsKey("Transfer-Encoding")) {
                body = dechunk(body);
            }
            return new HttpResult(Integer.parseInt(lines[0].split(" ")[1]), HttpHeaders.of(headers, (n, v) -> true),
                    new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        for (int size; (size = Integer.parseInt(chunked.substring(at, chunked.indexOf("\r\n", at)).trim(), 16)) > 0; ) {
            int start = chunked.indexOf("\r\n", at) + 2;
            body.append(chunked, start, start + size);
            at = start + size + 2;
        }
        return body.toString();
    }
}
