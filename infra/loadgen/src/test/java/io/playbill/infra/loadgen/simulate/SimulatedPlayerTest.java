package io.playbill.infra.loadgen.simulate;

import com.sun.net.httpserver.HttpExchange;
import io.playbill.infra.loadgen.client.GatewayClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.playbill.infra.loadgen.simulate.StandInGateway.answer;
import static io.playbill.infra.loadgen.simulate.StandInGateway.token;
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
    private StandInGateway gateway;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new StandInGateway()
                .on("/api/game/renew", exchange -> {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    if (body.contains("\"lastDeadline\":0")) {
                        firstRenewReceived = System.nanoTime();
                        // A deadline 31 s away: the next renew is due one second after t0.
                        answer(exchange, 200, token("\"deadline\":31"));
                        return;
                    }
                    renewsReceived.add(System.nanoTime());
                    busy(exchange);
                })
                .on("/api/game/stop", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    stopsReceived.add(System.nanoTime());
                    busy(exchange);
                });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aRenewIsNotRetriedOnceTheGameEndedAndTheOutcomeWaitsForItsLastAnswer() throws Exception {
        GatewayClient client = gateway.start();
        SimulatedPlayer.Plan plan = StandInGateway.playerFor(Duration.ofMillis(2500));

        PlayerOutcome outcome = new SimulatedPlayer(plan, client, "admin", gateway.timers()).begin()
                .get(30, TimeUnit.SECONDS);

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

    private static void busy(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Retry-After", "1");
        answer(exchange, 503, "{\"error\":{\"code\":\"busy\",\"message\":\"busy\"}}");
    }
}
