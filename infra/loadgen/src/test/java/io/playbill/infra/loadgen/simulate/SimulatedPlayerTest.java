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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static io.playbill.infra.loadgen.simulate.StandInGateway.answer;
import static io.playbill.infra.loadgen.simulate.StandInGateway.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a simulated player reports it played must cover every receive time the gateway can have billed. Each case
 * plays against a stand-in gateway (JDK HTTP server, same process, so its receive times are on the player's clocks)
 * that lets the player join and answers the renews and the stop as the case needs.
 */
class SimulatedPlayerTest {

    private StandInGateway gateway;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new StandInGateway();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    /**
     * Soak run mx5id0yy, player 333: a renew sent just before the game ended waited on a ledger outage, the stop was
     * refused 503 busy, and the renew's retries went on after the game had ended; the one received 7 s later was
     * billed as played. The gateway grants the first renew, then answers every renew and stop 503.
     */
    @Test
    void aRenewIsNotRetriedOnceTheGameEndedAndTheOutcomeWaitsForItsLastAnswer() throws Exception {
        List<Long> renewsReceived = new CopyOnWriteArrayList<>();
        List<Long> stopsReceived = new CopyOnWriteArrayList<>();
        AtomicLong firstRenewReceived = new AtomicLong();
        gateway.on("/api/game/renew", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"lastDeadline\":0")) {
                firstRenewReceived.set(System.nanoTime());
                // A deadline 31 s away: the next renew is due one second after t0.
                answer(exchange, 200, token("\"deadline\":31"));
                return;
            }
            renewsReceived.add(System.nanoTime());
            busy(exchange);
        }).on("/api/game/stop", exchange -> {
            exchange.getRequestBody().readAllBytes();
            stopsReceived.add(System.nanoTime());
            busy(exchange);
        });

        PlayerOutcome outcome = play(Duration.ofMillis(2500), System::currentTimeMillis);

        assertThat(outcome.endReason()).isEqualTo("play-length (stop failed: 503 busy)");
        assertThat(stopsReceived).as("the stop was retried").hasSize(GatewayClient.SDK_RETRIES + 1);
        // The SDK asks for no playtime after its game ended: no renew reaches the gateway after the stop was sent.
        assertThat(renewsReceived).isNotEmpty().allSatisfy(received ->
                assertThat(received).isLessThan(stopsReceived.get(0)));
        // Every renew the gateway received (and may have billed) lies within the play the outcome reports.
        long lastRenew = renewsReceived.get(renewsReceived.size() - 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(lastRenew - firstRenewReceived.get())).isLessThanOrEqualTo(
                outcome.playedMaxMillis());
    }

    /**
     * CI on a virtual machine resumed from a pause: its wall clock caught up by small steps, several per cent faster
     * than elapsed time, and the platform tests reported players "charged 9, expected 0..8 for 8941-8987 ms of
     * play". The gateway bills by its wall clock (token-spec §5, decision 034), the player measured elapsed time.
     * Here the gateway, on the same (stepped) wall clock as the player, stamps the first renew, the clock then jumps
     * 3 s ahead, and the stop is stamped after the jump.
     */
    @Test
    void thePlayReportedCoversWhatTheGatewaysSteppedWallClockBills() throws Exception {
        long step = 3_000;
        AtomicLong wallStep = new AtomicLong();
        AtomicLong firstRenewStamped = new AtomicLong();
        AtomicLong stopStamped = new AtomicLong();
        gateway.on("/api/game/renew", exchange -> {
            firstRenewStamped.set(System.currentTimeMillis() + wallStep.get());
            wallStep.set(step);
            answer(exchange, 200, token("\"deadline\":60"));
        }).on("/api/game/stop", exchange -> {
            stopStamped.set(System.currentTimeMillis() + wallStep.get());
            answer(exchange, 200, "{\"ok\":true}");
        });

        PlayerOutcome outcome = play(Duration.ofMillis(1500), () -> System.currentTimeMillis() + wallStep.get());

        assertThat(outcome.endReason()).isEqualTo("play-length");
        long billable = stopStamped.get() - firstRenewStamped.get();
        assertThat(billable).as("the gateway's stamps span the play and the step").isGreaterThan(step);
        assertThat(outcome.playedMaxMillis()).isGreaterThanOrEqualTo(billable);
        // The step adds nothing to the play the player is sure of: under-billing must not be required to charge it.
        assertThat(outcome.playedMinMillis()).isPositive().isLessThan(step);
    }

    private PlayerOutcome play(Duration playLength, LongSupplier wallClock) throws Exception {
        GatewayClient client = gateway.start();
        return new SimulatedPlayer(StandInGateway.playerFor(playLength), client, "admin", gateway.timers(), wallClock)
                .begin().get(30, TimeUnit.SECONDS);
    }

    private static void busy(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Retry-After", "1");
        answer(exchange, 503, "{\"error\":{\"code\":\"busy\",\"message\":\"busy\"}}");
    }
}
