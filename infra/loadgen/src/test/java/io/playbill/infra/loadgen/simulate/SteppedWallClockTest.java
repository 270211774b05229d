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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI on a virtual machine resumed from a pause: its wall clock caught up by small steps, several per cent faster
 * than elapsed time, and the platform tests reported players "charged 9, expected 0..8 for 8941-8987 ms of play".
 * The gateway bills by its wall clock (token-spec §5), the player measured elapsed time. A stand-in gateway on the
 * same (stepped) wall clock as the player stamps the first renew, the clock then jumps 3 s ahead, and the stop is
 * stamped after the jump: the reported play must cover what the gateway's stamps justify billing.
 */
class SteppedWallClockTest {

    private static final long STEP_MILLIS = 3_000;

    private final AtomicLong wallStep = new AtomicLong();
    private volatile long firstRenewStamped;
    private volatile long stopStamped;
    private HttpServer server;
    private ScheduledExecutorService timers;

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/game/authToken", exchange -> answer(exchange, token("\"queue\":\"standard\"")));
        server.createContext("/api/game/start", exchange -> answer(exchange, token("\"queue\":\"standard\"")));
        server.createContext("/api/game/renew", exchange -> {
            firstRenewStamped = wallClock();
            wallStep.set(STEP_MILLIS);
            answer(exchange, token("\"deadline\":60"));
        });
        server.createContext("/api/game/stop", exchange -> {
            stopStamped = wallClock();
            answer(exchange, "{\"ok\":true}");
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
    void thePlayReportedCoversWhatTheGatewaysSteppedWallClockBills() throws Exception {
        GatewayClient gateway = new GatewayClient(GatewayClient.httpClient(Executors.newCachedThreadPool()),
                "http://127.0.0.1:" + server.getAddress().getPort(), timers, new CallMetrics(),
                GatewayClient.SDK_RETRIES);
        SimulatedPlayer.Plan plan = new SimulatedPlayer.Plan(new TokenSource.Identity("p-1", "bearer"), "s1",
                Duration.ZERO, Duration.ZERO, Duration.ofMillis(1500), 0, null);

        PlayerOutcome outcome = new SimulatedPlayer(plan, gateway, "admin", timers, this::wallClock).begin()
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome.endReason()).isEqualTo("play-length");
        long billable = stopStamped - firstRenewStamped;
        assertThat(billable).as("the gateway's stamps span the play and the step").isGreaterThan(STEP_MILLIS);
        assertThat(outcome.playedMaxMillis()).isGreaterThanOrEqualTo(billable);
        // The step adds nothing to the play the player is sure of: under-billing must not be required to charge it.
        assertThat(outcome.playedMinMillis()).isPositive().isLessThan(STEP_MILLIS);
    }

    private long wallClock() {
        return System.currentTimeMillis() + wallStep.get();
    }

    private static String token(String claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"token\":\"" + base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{" + claims + "}").getBytes(StandardCharsets.UTF_8)) + ".sig\"}";
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
