package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final RestartPolicy policy = RestartPolicy.DEFAULT;

    @Test
    void backsOffExponentiallyThenGivesUpWhenTheBudgetIsSpent() {
        Deque<Instant> restarts = new ArrayDeque<>();
        Instant now = T0;
        for (long expected : List.of(1L, 2L, 4L, 8L, 16L)) {
            var next = policy.next(restarts, now).orElseThrow();
            assertThat(next.attempt()).isEqualTo(restarts.size() + 1);
            assertThat(next.delay()).isEqualTo(Duration.ofSeconds(expected));
            now = now.plus(next.delay()).plusSeconds(20);
            restarts.addLast(now);
        }
        assertThat(policy.next(restarts, now.plusSeconds(30))).as("a sixth crash within 10 minutes").isEmpty();
    }

    @Test
    void restartsOlderThanTheWindowNoLongerCount() {
        Deque<Instant> restarts = new ArrayDeque<>(List.of(T0, T0.plusSeconds(60), T0.plusSeconds(120),
                T0.plusSeconds(180), T0.plusSeconds(240)));
        assertThat(policy.next(restarts, T0.plus(Duration.ofMinutes(10)).minusSeconds(1))).isEmpty();

        var next = policy.next(restarts, T0.plus(Duration.ofMinutes(10)).plusSeconds(1)).orElseThrow();

        assertThat(next.attempt()).as("the first restart has left the window").isEqualTo(5);
        assertThat(next.delay()).isEqualTo(Duration.ofSeconds(16));
        assertThat(restarts).hasSize(4);

        var later = policy.next(restarts, T0.plus(Duration.ofHours(1))).orElseThrow();
        assertThat(later.attempt()).as("a crash long after the last restart starts afresh").isEqualTo(1);
        assertThat(later.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPolicyWithoutRestartsGivesUpAtOnce() {
        assertThat(new RestartPolicy(0, Duration.ofMinutes(10), Duration.ofSeconds(1)).next(new ArrayDeque<>(), T0))
                .isEmpty();
    }
}
