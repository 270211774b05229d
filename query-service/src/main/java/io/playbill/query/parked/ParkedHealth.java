package io.playbill.query.parked;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The {@code parked} health contributor and the {@code playbill.projection.events.parked{projection}} gauges: DEGRADED (answered
 * with HTTP 200, so a load balancer keeps the instance) while any projection has parked events. Parked events wait
 * for an operator, not for this instance: every instance says the same.
 */
@Component("parkedHealthIndicator")
class ParkedHealth implements HealthIndicator {

    /** A custom status, ordered between DOWN and UP in application.yml. */
    static final Status DEGRADED = new Status("DEGRADED", "Items are parked for an operator (see /admin/parked)");

    private final ParkedEvents parked;

    ParkedHealth(ParkedEvents parked, MeterRegistry meters) {
        this.parked = parked;
        for (Projection projection : Projection.values()) {
            Gauge.builder("playbill.projection.events.parked", parked, events -> count(events, projection))
                    .description("Events parked by a projection (and those waiting behind them), for an operator")
                    .tag("projection", projection.id())
                    .register(meters);
        }
    }

    @Override
    public Health health() {
        Map<Projection, Long> counts;
        try {
            counts = parked.counts();
        } catch (DataAccessException e) {
            // The database's own contributor says it is down; this one cannot tell.
            return Health.unknown().withDetail("error", e.getMostSpecificCause().toString()).build();
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Health.Builder health = total == 0 ? Health.up() : Health.status(DEGRADED);
        counts.forEach((projection, count) -> health.withDetail(projection.id(), count));
        return health.build();
    }

    private static double count(ParkedEvents events, Projection projection) {
        try {
            return events.counts().get(projection);
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }
}
