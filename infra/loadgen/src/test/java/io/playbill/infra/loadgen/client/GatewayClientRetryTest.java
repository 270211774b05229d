package io.playbill.infra.loadgen.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The simulator's retries against a stand-in gateway (a JDK HTTP server) that loses the first request's answer:
 * the retried deposit, with the same reference, settles what the first attempt did; and that answers 503 twice.
 */
class GatewayClientRetryTest {

    private final AtomicInteger depositsSeen = new AtomicInteger();
    private final AtomicInteger stopsSeen = new AtomicInteger();
    private HttpServer server;
    private ScheduledExecutorService timers;

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/admin/accounts/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (depositsSeen.incrementAndGet() == 1) {
                exchange.close(); // the deposit may have landed, but its answer is lost
                return;
            }
            byte[] body = "{\"balance\":500}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        // A stop shed at admission, then one the ledger did not answer in time, then the stop's answer.
        server.createContext("/api/game/stop", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int seen = stopsSeen.incrementAndGet();
            String code = seen == 1 ? "busy" : "ledger_unavailable";
            byte[] body = (seen <= 2 ? "{\"error\":{\"code\":\"" + code + "\",\"message\":\"later\"}}"
                    : "{\"stopped\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Retry-After", "0");
            exchange.sendResponseHeaders(seen <= 2 ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        timers = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        timers.shutdownNow();
    }

    @Test
    void aRequestWhoseAnswerWasLostIsSentAgainAndItsAnswerIsFinal() throws Exception {
        CallMetrics metrics = new CallMetrics();
        GatewayClient gateway = client(metrics, GatewayClient.SDK_RETRIES);

        ApiResponse answer = gateway.deposit("admin", "alice", 500, "ref-1").get(20, TimeUnit.SECONDS);

        assertThat(answer.ok()).isTrue();
        assertThat(answer.longField("balance")).isEqualTo(500);
        assertThat(answer.attempts()).isEqualTo(2);
        assertThat(depositsSeen).hasValue(2);
        assertThat(metrics.transportRetries()).isEqualTo(1);
        assertThat(metrics.transportRetriesByReason()).containsOnlyKeys("deposit: IOException HTTP/1.1 header parser received no bytes");
        assertThat(metrics.of(Call.DEPOSIT).failed()).isZero();
    }

    @Test
    void retried503sAreCountedByTheGatewaysErrorCode() throws Exception {
        CallMetrics metrics = new CallMetrics();
        GatewayClient gateway = client(metrics, GatewayClient.SDK_RETRIES);

        ApiResponse answer = gateway.stop("player", "session-1").get(20, TimeUnit.SECONDS);

        assertThat(answer.ok()).isTrue();
        assertThat(answer.attempts()).isEqualTo(3);
        assertThat(metrics.retries()).isEqualTo(2);
        assertThat(metrics.retriesByCode()).containsExactly(entry("busy", 1L), entry("ledger_unavailable", 1L));
    }

    @Test
    void measurementsDoNotRetry() throws Exception {
        CallMetrics metrics = new CallMetrics();
        GatewayClient gateway = client(metrics, 0);

        ApiResponse answer = gateway.deposit("admin", "alice", 500, "ref-1").get(20, TimeUnit.SECONDS);

        assertThat(answer.ok()).isFalse();
        assertThat(answer.status()).isZero();
        assertThat(depositsSeen).hasValue(1);
        assertThat(metrics.of(Call.DEPOSIT).failed()).isEqualTo(1);
    }

    @Test
    void transportRetriesBackOffUpToEightSeconds() {
        assertThat(GatewayClient.backoffAfterTransportFailure(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(GatewayClient.backoffAfterTransportFailure(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(GatewayClient.backoffAfterTransportFailure(9)).isEqualTo(Duration.ofSeconds(8));
    }

    private GatewayClient client(CallMetrics metrics, int retries) {
        return new GatewayClient(GatewayClient.httpClient(Executors.newCachedThreadPool()),
                "http://127.0.0.1:" + server.getAddress().getPort(), timers, metrics, retries);
    }
}
