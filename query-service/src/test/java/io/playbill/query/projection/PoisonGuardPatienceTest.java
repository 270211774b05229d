package io.playbill.query.projection;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The all-failed patience runs per episode. An instance whose batch failed for every user while another instance
 * ended that episode (it parked or applied the batch) kept its clock; its first such batch much later was parked at
 * once, every active user's events with it, instead of being retried for the patience.
 */
class PoisonGuardPatienceTest {

    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    private final ParkedEvents parked = mock(ParkedEvents.class);
    private final MovingClock clock = new MovingClock(T);
    private final PoisonGuard guard = new PoisonGuard(parked, mock(PlatformTransactionManager.class), 1, PATIENCE,
            clock);
    private final Projector broken = events -> {
        throw new IllegalStateException("the projector cannot run");
    };
    private final List<LedgerEvent> batch = List.of(
            new LedgerEvent("e1", "alice", 1, T, "x"), new LedgerEvent("e2", "bob", 1, T, "x"));

    @Test
    void aBatchFailingForEveryUserLongAfterAnEpisodeThisInstanceDidNotSeeEndIsRetriedForThePatienceAgain() {
        assertThatThrownBy(this::apply).isInstanceOf(PoisonGuard.AllUsersFailing.class);
        clock.now = T.plus(Duration.ofHours(3));

        assertThatThrownBy(this::apply).as("a new episode: retried, not parked").isInstanceOf(
                PoisonGuard.AllUsersFailing.class);
        verify(parked, never()).park(any(), anyBoolean(), any(), any(), anyString(), anyString(), anyInt());

        clock.now = clock.now.plus(PATIENCE).plusSeconds(1);
        assertThatCode(this::apply).as("its patience out").doesNotThrowAnyException();
        verify(parked, atLeastOnce()).park(any(), anyBoolean(), any(), any(), anyString(), anyString(), anyInt());
    }

    @Test
    void anEpisodeRetriedWithinTheProcessorsBackOffKeepsItsClock() {
        assertThatThrownBy(this::apply).isInstanceOf(PoisonGuard.AllUsersFailing.class);
        clock.now = T.plusSeconds(40);
        assertThatThrownBy(this::apply).isInstanceOf(PoisonGuard.AllUsersFailing.class);
        clock.now = T.plusSeconds(80);

        assertThatCode(this::apply).as("80 s of one episode: parked").doesNotThrowAnyException();
        verify(parked, atLeastOnce()).park(any(), anyBoolean(), any(), any(), anyString(), anyString(), anyInt());
    }

    /**
     * The live processor applies its projections one after another in one transaction, retried after up to 60 s: the
     * second is asked only once the first goes through. Its clock must not start again for the retries it was not
     * asked in, or each would park in turn and the batch never go through.
     */
    @Test
    void twoLiveProjectionsFailingForEveryUserInOneBatchAreBothParkedInTime() {
        Runnable liveBatch = () -> {
            guard.apply(Projection.values()[0], false, broken, batch, Map.of());
            guard.apply(Projection.values()[1], false, broken, batch, Map.of());
        };
        for (int retry = 0; retry < 3; retry++) {
            clock.now = T.plusSeconds(61L * retry);
            assertThatThrownBy(liveBatch::run).as("try %d", retry).isInstanceOf(PoisonGuard.AllUsersFailing.class);
        }
        clock.now = T.plusSeconds(61L * 3);

        assertThatCode(liveBatch::run).as("both patiences out by the fourth try").doesNotThrowAnyException();
    }

    private void apply() {
        guard.apply(Projection.values()[0], false, broken, batch, Map.of());
    }

    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
