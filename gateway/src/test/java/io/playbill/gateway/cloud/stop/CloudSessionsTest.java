package io.playbill.gateway.cloud.stop;

import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.stop.CloudSessions.Billing;
import io.playbill.gateway.cloud.stop.CloudSessions.Binding;
import io.playbill.gateway.cloud.stop.CloudSessions.State;
import io.playbill.gateway.support.CloudGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The user's one game slot, as a leaving player and a refused stop change it: each a single statement. */
class CloudSessionsTest extends CloudGatewayTest {

    private static final GsPool G1 = new GsPool("g1");
    private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Autowired
    private CloudSessions slots;

    @Test
    void leavingTheQueueReleasesAWaitingSlotTheGatewayPaysForAndNoOther() {
        slots.bind("alice", "own", Billing.SERVER, G1, State.RESERVED, AT);
        slots.bind("bob", "sdk", Billing.CLIENT, G1, State.RESERVED, AT);
        slots.bind("carol", "own", Billing.SERVER, G1, State.STARTING, AT);
        slots.running("carol", "own", G1, AT);

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
    void aRestoredBindingIsTheOneReleasedUnlessTheSlotWasBoundAgain() {
        slots.bind("alice", "own", Billing.SERVER, G1, State.STARTING, AT);
        slots.running("alice", "own", G1, AT);
        slots.heartbeat("alice", "own", AT, 95_000, AT.plusSeconds(30));
        Binding released = slots.releaseAny("alice").orElseThrow();
        slots.bind("bob", "first", Billing.CLIENT, G1, State.RUNNING, AT);
        Binding bobs = slots.releaseAny("bob").orElseThrow();
        slots.bind("bob", "second", Billing.CLIENT, G1, State.STARTING, AT);

        slots.restore(released);
        slots.restore(bobs);

        assertThat(slots.of("alice")).contains(released);
        assertThat(slots.of("bob")).get().extracting(Binding::session).as("the slot's newer binding")
                .isEqualTo("second");
    }
}
