package io.playbill.infra.loadgen.simulate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.TokenSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A gateway stand-in for a simulated player: a JDK HTTP server in the test's own process, so its receive times are
 * on the player's clocks, answering what each test registers, and the load generator's real client to it.
 */
final class StandInGateway implements AutoCloseable {

    private final HttpServer server;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

    /** A gateway that lets the player join (authToken and start, queue {@code standard}); the test adds the rest. */
    StandInGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        on("/api/game/authToken", exchange -> answer(exchange, 200, token("\"queue\":\"standard\"")));
        on("/api/game/start", exchange -> answer(exchange, 200, token("\"queue\":\"standard\"")));
    }

    StandInGateway on(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** Starts answering; the client retries as the SDK's calls do. */
    GatewayClient start() {
        server.start();
        return new GatewayClient(GatewayClient.httpClient(Executors.newCachedThreadPool()),
                "http://127.0.0.1:" + server.getAddress().getPort(), timers, new CallMetrics(),
                GatewayClient.SDK_RETRIES);
    }

    /** A player who joins at once, asks for its first renew at once, and plays for {@code playLength}. */
    static SimulatedPlayer.Plan playerFor(Duration playLength) {
        return new SimulatedPlayer.Plan(new TokenSource.Identity("p-1", "bearer"), "s1", Duration.ZERO, Duration.ZERO,
                playLength, 0, null);
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    @Override
    public void close() {
        server.stop(0);
        timers.shutdownNow();
    }

    /** A token answer whose payload holds {@code claims}; the player reads claims, it does not verify signatures. */
    static String token(String claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"token\":\"" + base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{" + claims + "}").getBytes(StandardCharsets.UTF_8)) + ".sig\"}";
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
