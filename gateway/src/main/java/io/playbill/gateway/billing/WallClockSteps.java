package io.playbill.gateway.billing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * How far the wall clock that billing reads (token-spec §5, decision 034) was stepped since the gateway started:
 * the wall-clock time passed minus the elapsed time. Time synchronisation that slews moves both alike and leaves
 * this at 0; a step moves it by the step, and a forward step of s seconds charges every session in play up to s
 * seconds. Exported as {@code playbill_gateway_wall_clock_stepped_seconds}, alert {@code PlaybillGatewayClockStepped}.
 */
public final class WallClockSteps implements MeterBinder {

    private final Clock wallClock;
    private final LongSupplier elapsedNanos;
    private final long startedWallMillis;
    private final long startedNanos;

    public WallClockSteps(Clock wallClock, LongSupplier elapsedNanos) {
        this.wallClock = wallClock;
        this.elapsedNanos = elapsedNanos;
        this.startedWallMillis = wallClock.millis();
        this.startedNanos = elapsedNanos.getAsLong();
    }

    /** Net seconds the wall clock was stepped since the start: positive ahead, negative back. */
    public double steppedSeconds() {
        long wallMillis = wallClock.millis() - startedWallMillis;
        double elapsedMillis = (elapsedNanos.getAsLong() - startedNanos) / 1_000_000.0;
        return (wallMillis - elapsedMillis) / 1000.0;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("playbill.gateway.wall.clock.stepped", this, WallClockSteps::steppedSeconds)
                .baseUnit("seconds")
                // Micrometer holds a gauge's object weakly by default; this one is the gauge's only reason to live.
                .strongReference(true)
                .description("Net seconds the wall clock that billing reads was stepped since the gateway started")
                .register(registry);
    }
}
