package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.client.GatewayClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.playbill.infra.loadgen.simulate.StandInGateway.answer;
import static io.playbill.infra.loadgen.simulate.StandInGateway.token;
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
    private StandInGateway gateway;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new StandInGateway()
                .on("/api/game/renew", exchange -> {
                    firstRenewStamped = wallClock();
                    wallStep.set(STEP_MILLIS);
                    answer(exchange, 200, token("\"deadline\":60"));
                })
                .on("/api/game/stop", exchange -> {
                    stopStamped = wallClock();
                    answer(exchange, 200, "{\"ok\":true}");
                });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void thePlayReportedCoversWhatTheGatewaysSteppedWallClockBills() throws Exception {
        GatewayClient client = gateway.start();
        SimulatedPlayer.Plan plan = StandInGateway.playerFor(Duration.ofMillis(1500));

        PlayerOutcome outcome = new SimulatedPlayer(plan, client, "admin", gateway.timers(), this::wallClock).begin()
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
}
