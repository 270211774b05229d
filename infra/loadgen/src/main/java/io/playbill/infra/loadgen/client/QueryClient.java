package io.playbill.infra.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A user's balance in query-service's account read model. Two forms of the internal API are understood:
 * {@code GET /accounts/{userId}} (no caller), and {@code GET /finance/users/{userId}/account} with the caller
 * headers the gateway sets on its internal hop ({@code X-Playbill-User}, {@code X-Playbill-Roles: finance}).
 * The first is tried until query-service shows it does not serve it (401, or a 404 that is not
 * {@code account_not_found}); both answer {@code {"userId", "balance", ...}}.
 */
public final class QueryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALLER = "loadgen-settlement";

    private final HttpClient http;
    private final String baseUrl;
    private volatile boolean financeRead;

    public QueryClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The projected balance; empty while the projection has no account for the user. */
    public CompletableFuture<OptionalLong> balance(String userId) {
        String user = URLEncoder.encode(userId, StandardCharsets.UTF_8);
        if (financeRead) {
            return read(HttpRequest.newBuilder(URI.create(baseUrl + "/finance/users/" + user + "/account"))
                    .header("X-Playbill-User", CALLER).header("X-Playbill-Roles", "finance"), userId);
        }
        return http.sendAsync(request(HttpRequest.newBuilder(URI.create(baseUrl + "/accounts/" + user))),
                HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
                    if (response.statusCode() == 401 || (response.statusCode() == 404
                            && !"account_not_found".equals(errorCode(response.body())))) {
                        financeRead = true;
                        return balance(userId);
                    }
                    return CompletableFuture.completedFuture(parse(response, userId));
                });
    }

    private CompletableFuture<OptionalLong> read(HttpRequest.Builder builder, String userId) {
        return http.sendAsync(request(builder), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parse(response, userId));
    }

    private static HttpRequest request(HttpRequest.Builder builder) {
        return builder.timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static OptionalLong parse(HttpResponse<String> response, String userId) {
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("query-service answered " + response.statusCode() + " for " + userId
                    + ": " + response.body());
        }
        try {
            JsonNode balance = JSON.readTree(response.body()).get("balance");
            return OptionalLong.of(balance.asLong());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Unreadable account from query-service: " + response.body(), e);
        }
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
