package io.playbill.gateway.cloud.stop;

import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.stop.CloudSessions.Billing;
import io.playbill.gateway.cloud.stop.CloudSessions.Binding;
import io.playbill.gateway.cloud.stop.CloudSessions.State;
import io.playbill.gateway.support.CloudGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The user's one game slot, as a leaving player and a stop release it: each a single statement. */
class CloudSessionsTest extends CloudGatewayTest {

    private static final GsPool G1 = new GsPool("g1");
    /** Per test: rows of a running game older than the billing catch-up's grace would have it start their billing. */
    private final Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    private CloudSessions slots;

    @Test
    void leavingTheQueueReleasesAWaitingSlotTheGatewayPaysForAndNoOther() {
        slots.bind("alice", "own", Billing.SERVER, G1, State.RESERVED, at, at);
        slots.bind("bob", "sdk", Billing.CLIENT, G1, State.RESERVED, at, at);
        slots.bind("carol", "own", Billing.SERVER, G1, State.STARTING, at, at);
        slots.running("carol", "own", G1, at);

        assertThat(slots.releaseWaiting("alice", Billing.SERVER)).get().extracting(Binding::session)
                .isEqualTo("own");
        assertThat(slots.releaseWaiting("bob", Billing.SERVER)).as("the client's session stays the client's")
                .isEmpty();
        assertThat(slots.releaseWaiting("carol", Billing.SERVER))
                .as("a game that started while its player left the queue keeps its slot").isEmpty();

        assertThat(slots.of("alice")).isEmpty();
        assertThat(slots.of("bob")).get().extracting(Binding::state).isEqualTo(State.RESERVED);
        assertThat(slots.of("carol")).get().extracting(Binding::state).isEqualTo(State.RUNNING);
    }

    @Test
    void aRenewAnswerOlderThanTheDeadlineHeldChangesNothing() {
        slots.bind("dave", "own", Billing.SERVER, G1, State.STARTING, at, at);
        slots.running("dave", "own", G1, at);
        slots.heartbeat("dave", "own", at, 120, at.plusSeconds(90));

        slots.heartbeat("dave", "own", at, 60, at.plusSeconds(30));

        Binding dave = slots.of("dave").orElseThrow();
        assertThat(dave.deadline()).as("the later renew's deadline stays").isEqualTo(120L);
        assertThat(dave.firstRenewAt()).isEqualTo(at);
        slots.heartbeat("dave", "own", at, 120, at.plusSeconds(95));
        assertThat(jdbc.queryForObject("SELECT next_renew_at FROM cloud_session WHERE user_id = 'dave'",
                Timestamp.class).toInstant()).as("an answer of the same deadline (an exhausted balance) moves"
                + " the next renew").isEqualTo(at.plusSeconds(95));
    }

    @Test
    void aStopReleasesTheBindingItSawAndNotOneAStartChangedMeanwhile() {
        slots.bind("alice", "own", Billing.SERVER, G1, State.STARTING, at, at);
        slots.running("alice", "own", G1, at);
        Binding alicesSeen = slots.of("alice").orElseThrow();
        slots.bind("bob", "sdk", Billing.CLIENT, G1, State.STARTING, at, at);
        slots.running("bob", "sdk", G1, at);
        Binding bobsSeen = slots.of("bob").orElseThrow();
        // Bob's game is started again (a reconnect of the same session) after his stop looked at the slot.
        slots.running("bob", "sdk", G1, at.plusMillis(1));

        assertThat(slots.releaseIfUnchanged(alicesSeen)).isTrue();
        assertThat(slots.releaseIfUnchanged(bobsSeen)).isFalse();

        assertThat(slots.of("alice")).isEmpty();
        assertThat(slots.of("bob")).get().extracting(Binding::startedAt).isEqualTo(at.plusMillis(1));
    }
}
