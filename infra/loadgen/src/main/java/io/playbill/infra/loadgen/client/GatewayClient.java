package io.playbill.infra.loadgen.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The gateway's HTTP API as the SDK integration and the admin tools call it, asynchronously: no thread waits for
 * a response, so a few threads drive thousands of simulated players.
 *
 * <p>A 503 is retried after its {@code Retry-After} (the gateway sends it when the ledger is slow), like the SDK
 * integration does; so is a request that timed out or lost its connection (its fate is unknown: a deposit may have
 * been credited), after 1, 2, 4, 8 s. Together at most {@code maxRetries} times; every other answer is final.
 * Session calls and deposits are idempotent on the gateway's side (per session, per reference), which is what
 * makes retrying safe, and what lets a top-up whose answer was lost be settled by asking again.
 */
public final class GatewayClient {

    /** How often a simulated SDK integration retries a 503 before giving up. */
    public static final int SDK_RETRIES = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final ScheduledExecutorService timers;
    private final CallMetrics metrics;
    private final int maxRetries;
    private final AttemptListener listener;

    /**
     * @param timers     runs the delayed retries
     * @param maxRetries how many 503s to retry ({@link #SDK_RETRIES}; 0 for measurements, where a 503 is a failure)
     */
    public GatewayClient(HttpClient http, String baseUrl, ScheduledExecutorService timers, CallMetrics metrics,
                         int maxRetries) {
        this(http, baseUrl, timers, metrics, maxRetries, AttemptListener.NONE);
    }

    /** @param listener told of every attempt (retries included) as it ends */
    public GatewayClient(HttpClient http, String baseUrl, ScheduledExecutorService timers, CallMetrics metrics,
                         int maxRetries, AttemptListener listener) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timers = timers;
        this.metrics = metrics;
        this.maxRetries = maxRetries;
        this.listener = listener;
    }

    /** The gateway this client calls. */
    public String baseUrl() {
        return baseUrl;
    }

    /** An HTTP/1.1 client (what SDK backends see from browsers and apps) completing on {@code executor}. */
    public static HttpClient httpClient(Executor executor) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    public CompletableFuture<ApiResponse> authToken(String bearer, String session) {
        return send(Call.AUTH_TOKEN, request("/api/game/authToken?session=" + encode(session), bearer).GET());
    }

    public CompletableFuture<ApiResponse> start(String bearer, String session) {
        return send(Call.START, post("/api/game/start", bearer, Map.of("session", session)));
    }

    public CompletableFuture<ApiResponse> renew(String bearer, String session, long lastDeadline) {
        return renew(bearer, session, lastDeadline, () -> true);
    }

    /**
     * A renew whose retries stop once {@code stillWanted} says no: the SDK asks for no playtime after its game ended,
     * and a retry received later would be billed as played. The call then completes with the last answer.
     */
    public CompletableFuture<ApiResponse> renew(String bearer, String session, long lastDeadline,
                                               BooleanSupplier stillWanted) {
        return send(Call.RENEW, post("/api/game/renew", bearer,
                Map.of("session", session, "lastDeadline", lastDeadline)), stillWanted);
    }

    public CompletableFuture<ApiResponse> stop(String bearer, String session) {
        return send(Call.STOP, post("/api/game/stop", bearer, Map.of("session", session)));
    }

    /** Admin: credit {@code amount} minor units to {@code userId}, once per {@code reference}. */
    public CompletableFuture<ApiResponse> deposit(String adminBearer, String userId, long amount, String reference) {
        return send(Call.DEPOSIT, post("/api/admin/accounts/" + encode(userId) + "/deposits", adminBearer,
                Map.of("amount", amount, "reference", reference)));
    }

    /** Admin: the price per minute (minor units) of {@code queue} from now on. */
    public CompletableFuture<ApiResponse> setPrice(String adminBearer, String queue, long pricePerMinute) {
        return send(Call.SET_PRICE, request("/api/admin/prices/" + encode(queue), adminBearer)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(Map.of("pricePerMinute", pricePerMinute)))));
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private HttpRequest.Builder post(String path, String bearer, Map<String, Object> body) {
        return request(path, bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(body)));
    }

    private CompletableFuture<ApiResponse> send(Call call, HttpRequest.Builder builder) {
        return send(call, builder, () -> true);
    }

    private CompletableFuture<ApiResponse> send(Call call, HttpRequest.Builder builder, BooleanSupplier stillWanted) {
        CompletableFuture<ApiResponse> result = new CompletableFuture<>();
        attempt(call, builder.build(), 1, System.nanoTime(), stillWanted, result);
        return result;
    }

    private void attempt(Call call, HttpRequest request, int attempt, long firstSent, BooleanSupplier stillWanted,
                         CompletableFuture<ApiResponse> result) {
        long sent = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long received = System.nanoTime();
            listener.attempted(call, request, failure != null ? 0 : response.statusCode(),
                    failure != null ? null : response.body(), sent, received);
            if (failure != null) {
                String reason = transportFailure(failure);
                if (attempt <= maxRetries) {
                    metrics.retriedAfterTransportFailure(call, reason);
                    retryLater(call, request, attempt, firstSent, stillWanted, result,
                            backoffAfterTransportFailure(attempt),
                            new ApiResponse(0, reason, firstSent, received, attempt), received - sent);
                    return;
                }
                metrics.of(call).failure(received - sent, reason);
                result.complete(new ApiResponse(0, reason, firstSent, received, attempt));
                return;
            }
            if (response.statusCode() == 503 && attempt <= maxRetries) {
                metrics.of(call).record(received - sent);
                ApiResponse refused = new ApiResponse(503, response.body(), firstSent, received, attempt);
                metrics.retried(refused.errorCode());
                retryLater(call, request, attempt, firstSent, stillWanted, result, retryAfter(response), refused,
                        received - sent);
                return;
            }
            ApiResponse answer = new ApiResponse(response.statusCode(), response.body(), firstSent, received, attempt);
            if (answer.ok()) {
                metrics.of(call).success(received - sent);
            } else {
                metrics.of(call).failure(received - sent, String.valueOf(response.statusCode()));
            }
            result.complete(answer);
        });
    }

    /** Sends the request again after {@code delay}, unless the caller no longer wants it: then {@code last} is final. */
    private void retryLater(Call call, HttpRequest request, int attempt, long firstSent, BooleanSupplier stillWanted,
                            CompletableFuture<ApiResponse> result, Duration delay, ApiResponse last, long latency) {
        timers.schedule(() -> {
            if (stillWanted.getAsBoolean()) {
                attempt(call, request, attempt + 1, firstSent, stillWanted, result);
            } else {
                metrics.of(call).failure(latency, "abandoned");
                result.complete(last);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** 1, 2, 4, 8, 8, ... seconds: gives an overloaded gateway room instead of doubling its load at once. */
    static Duration backoffAfterTransportFailure(int attempt) {
        return Duration.ofSeconds(1L << Math.min(attempt - 1, 3));
    }

    /** {@code Retry-After} in seconds (the gateway's form); one second when absent or unreadable. */
    private static Duration retryAfter(HttpResponse<?> response) {
        Duration wait = response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(1);
            }
        }).orElse(Duration.ofSeconds(1));
        return wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait;
    }

    private static String transportFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        // The JDK client's message tells a connection the gateway closed from one reset under a request.
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + " " + cause.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String toJson(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a request body", e);
        }
    }
}
