package io.playbill.ledger.parked;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code parked} health contributor and the {@code playbill.ledger.requests.parked}, {@code .expiries.parked} and
 * {@code .events.parked} gauges: DEGRADED (answered
 * with HTTP 200, so a load balancer keeps the instance) while any of the ledger's consumers has parked items. They
 * wait for an operator, not for this instance, so every instance says the same.
 */
@Component("parkedHealthIndicator")
class ParkedHealth implements HealthIndicator {

    /** A custom status, ordered between DOWN and UP in application.yml. */
    static final Status DEGRADED = new Status("DEGRADED", "Items are parked for an operator (docs/operations.md)");

    /** Each consumer's gauge (docs/operations.md, "Metrics"). */
    static final Map<String, String> GAUGES = Map.of(
            "intake", "playbill.ledger.requests.parked",
            "expiry", "playbill.ledger.expiries.parked",
            "publisher", "playbill.ledger.events.parked");
    /** Each consumer and how its parked items are counted. */
    static final Map<String, String> COUNTS = Map.of(
            "intake", "select count(*) from parked_request where status = 'parked'",
            "expiry", "select count(*) from session_expiry where parked_at_millis is not null",
            "publisher", "select count(*) from dead_letter_entry");

    private final JdbcTemplate jdbc;

    ParkedHealth(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        COUNTS.forEach((consumer, sql) -> Gauge.builder(GAUGES.get(consumer), () -> count(sql))
                .description("Items the ledger's " + consumer + " parked for an operator (publisher: events waiting"
                        + " behind them too)")
                .register(meters));
    }

    @Override
    public Health health() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try {
            for (String consumer : new java.util.TreeSet<>(COUNTS.keySet())) {
                Long count = jdbc.queryForObject(COUNTS.get(consumer), Long.class);
                counts.put(consumer, count == null ? 0 : count);
            }
        } catch (DataAccessException e) {
            // The database's own contributor says it is down; this one cannot tell.
            return Health.unknown().withDetail("error", e.getMostSpecificCause().toString()).build();
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return (total == 0 ? Health.up() : Health.status(DEGRADED)).withDetails(counts).build();
    }

    private double count(String sql) {
        try {
            Long count = jdbc.queryForObject(sql, Long.class);
            return count == null ? 0 : count;
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }
}
