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
 * A user's balance in query-service's account read model, read the way finance reads it: through the gateway,
 * {@code GET /api/finance/users/{userId}/account} with a bearer token that has role {@code finance} (or
 * {@code admin}). query-service itself answers only the gateway's signed caller assertions (decision 012).
 */
public final class QueryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String gatewayUrl;
    private final String bearer;

    public QueryClient(HttpClient http, String gatewayUrl, String bearer) {
        this.http = http;
        this.gatewayUrl = gatewayUrl.endsWith("/") ? gatewayUrl.substring(0, gatewayUrl.length() - 1) : gatewayUrl;
        this.bearer = bearer;
    }

    /** The projected balance (0 for a user the projection has not seen yet). */
    public CompletableFuture<OptionalLong> balance(String userId) {
        String user = URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/finance/users/" + user
                        + "/account"))
                .header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> parse(response, userId));
    }

    private static OptionalLong parse(HttpResponse<String> response, String userId) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The balance read answered " + response.statusCode() + " for " + userId
                    + ": " + response.body());
        }
        try {
            JsonNode balance = JSON.readTree(response.body()).get("balance");
            return OptionalLong.of(balance.asLong());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("Unreadable account from query-service: " + response.body(), e);
        }
    }
}
