package io.playbill.infra.loadgen.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.TokenSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak run mx5id0yy, player 333: a renew sent just before the game ended waited on a ledger outage, the stop was
 * refused 503 busy, and the renew's retries went on after the game had ended; the one received 7 s later was
 * billed as played. A stand-in gateway (JDK HTTP server, same process, so its receive times are on the player's
 * clock) grants the first renew, then answers every renew and stop 503.
 */
class SimulatedPlayerTest {

    private final List<Long> renewsReceived = new CopyOnWriteArrayList<>();
    private final List<Long> stopsReceived = new CopyOnWriteArrayList<>();
    private volatile long firstRenewReceived;
    private HttpServer server;
    private ScheduledExecutorService timers;

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/game/authToken", exchange -> answer(exchange, 200, token("\"queue\":\"standard\"")));
        server.createContext("/api/game/start", exchange -> answer(exchange, 200, token("\"queue\":\"standard\"")));
        server.createContext("/api/game/renew", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"lastDeadline\":0")) {
                firstRenewReceived = System.nanoTime();
                // A deadline 31 s away: the next renew is due one second after t0.
                answer(exchange, 200, token("\"deadline\":31"));
                return;
            }
            renewsReceived.add(System.nanoTime());
            busy(exchange);
        });
        server.createContext("/api/game/stop", exchange -> {
            exchange.getRequestBody().readAllBytes();
            stopsReceived.add(System.nanoTime());
            busy(exchange);
        });
        server.start();
        timers = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        timers.shutdownNow();
    }

    @Test
    void aRenewIsNotRetriedOnceTheGameEndedAndTheOutcomeWaitsForItsLastAnswer() throws Exception {
        GatewayClient gateway = new GatewayClient(GatewayClient.httpClient(Executors.newCachedThreadPool()),
                "http://127.0.0.1:" + server.getAddress().getPort(), timers, new CallMetrics(),
                GatewayClient.SDK_RETRIES);
        SimulatedPlayer.Plan plan = new SimulatedPlayer.Plan(new TokenSource.Identity("p-333", "bearer"), "s333",
                Duration.ZERO, Duration.ZERO, Duration.ofMillis(2500), 0, null);

        PlayerOutcome outcome = new SimulatedPlayer(plan, gateway, "admin", timers).begin().get(30, TimeUnit.SECONDS);

        assertThat(outcome.endReason()).isEqualTo("play-length (stop failed: 503 busy)");
        assertThat(stopsReceived).as("the stop was retried").hasSize(GatewayClient.SDK_RETRIES + 1);
        // The SDK asks for no playtime after its game ended: no renew reaches the gateway after the stop was sent.
        assertThat(renewsReceived).isNotEmpty().allSatisfy(received ->
                assertThat(received).isLessThan(stopsReceived.get(0)));
        // Every renew the gateway received (and may have billed) lies within the play the outcome reports.
        long lastRenew = renewsReceived.get(renewsReceived.size() - 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(lastRenew - firstRenewReceived)).isLessThanOrEqualTo(
                outcome.playedMaxMillis());
    }

    private static String token(String claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"token\":\"" + base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{" + claims + "}").getBytes(StandardCharsets.UTF_8)) + ".sig\"}";
    }

    private static void busy(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Retry-After", "1");
        answer(exchange, 503, "{\"error\":{\"code\":\"busy\",\"message\":\"busy\"}}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
