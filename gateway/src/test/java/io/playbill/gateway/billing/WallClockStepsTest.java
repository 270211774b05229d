package io.playbill.gateway.billing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playbill.gateway.support.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WallClockStepsTest {

    private final MovableClock wall = new MovableClock(Instant.parse("2026-12-03T16:00:00Z"));
    private final AtomicLong elapsedNanos = new AtomicLong(123_456_789L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void timePassingOnBothClocksIsNoStepAndAForwardOrBackwardStepShowsByItsSize() {
        new WallClockSteps(wall, elapsedNanos::get).bindTo(registry);

        pass(Duration.ofMinutes(10));
        assertThat(stepped()).isCloseTo(0.0, within(1e-9));

        wall.advance(Duration.ofMillis(1_500));
        pass(Duration.ofSeconds(30));
        assertThat(stepped()).as("a forward step, which billing charges").isCloseTo(1.5, within(1e-9));

        wall.advance(Duration.ofSeconds(-2));
        assertThat(stepped()).as("net of a later backward step").isCloseTo(-0.5, within(1e-9));
    }

    private void pass(Duration time) {
        wall.advance(time);
        elapsedNanos.addAndGet(time.toNanos());
    }

    private double stepped() {
        return registry.get("playbill.gateway.wall.clock.stepped").gauge().value();
    }
}
