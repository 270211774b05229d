package io.playbill.query.projection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;

/**
 * {@code playbill.projection.lag{processor}}: from the moment the ledger created an event to the moment its
 * projection rows committed here, with p50/p95/p99 (see /actuator/metrics/playbill.projection.lag).
 */
@Component
public class ProjectionLag {

    public static final String METER = "playbill.projection.lag";

    private final MeterRegistry registry;

    ProjectionLag(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Looked up per batch (not cached), so a removed timer starts afresh. */
    void record(String processor, List<LedgerEvent> committed) {
        Timer timer = Timer.builder(METER)
                .description("Time from event creation in the ledger to its projection's commit")
                .tag("processor", processor)
                .publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(5))
                .distributionStatisticBufferLength(2)
                .register(registry);
        long now = System.currentTimeMillis();
        for (LedgerEvent event : committed) {
            timer.record(Duration.ofMillis(Math.max(0, now - event.timestamp().toEpochMilli())));
        }
    }
}
