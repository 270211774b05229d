package io.playbill.query.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the projection processor has committed, per processor (docs/operations.md, "Metrics"):
 * <ul>
 *   <li>{@code playbill.projection.lag}: from the moment the ledger created an event to the moment its projection
 *       rows committed here; buckets for Prometheus' p99, and p50/p95/p99 in the process for the benchmarks;</li>
 *   <li>{@code playbill.projection.events.applied{processor,event}}: events applied, by event type;</li>
 *   <li>{@code playbill.projection.batch}: events per committed batch.</li>
 * </ul>
 * Counted once a batch has committed, so a batch that rolls back and is retried counts once.
 */
@Component
public class ProjectionMeters {

    public static final String LAG = "playbill.projection.lag";
    public static final String APPLIED = "playbill.projection.events.applied";
    public static final String BATCH = "playbill.projection.batch";

    private final MeterRegistry registry;

    ProjectionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Looked up per batch (not cached), so a removed meter starts afresh. */
    void committed(String processor, List<LedgerEvent> committed) {
        Timer lag = Timer.builder(LAG)
                .description("Time from event creation in the ledger to its projection's commit")
                .tag("processor", processor)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .distributionStatisticExpiry(Duration.ofMinutes(5))
                .distributionStatisticBufferLength(2)
                .register(registry);
        long now = System.currentTimeMillis();
        Map<String, Integer> byType = new TreeMap<>();
        for (LedgerEvent event : committed) {
            lag.record(Duration.ofMillis(Math.max(0, now - event.timestamp().toEpochMilli())));
            byType.merge(event.payload().getClass().getSimpleName(), 1, Integer::sum);
        }
        byType.forEach((type, count) -> Counter.builder(APPLIED)
                .description("Ledger events the projections applied, by event type")
                .tag("processor", processor)
                .tag("event", type)
                .register(registry)
                .increment(count));
        DistributionSummary.builder(BATCH)
                .description("Events per committed projection batch")
                .baseUnit("events")
                .tag("processor", processor)
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000, 5000)
                .register(registry)
                .record(committed.size());
    }
}
