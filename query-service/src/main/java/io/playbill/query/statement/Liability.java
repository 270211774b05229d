package io.playbill.query.statement;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The prepaid liability as of an instant: Σ of every account's running balance at T = Σ of the balance changes of
 * all statement lines up to T, read from the statement projection's rollups without scanning lines: whole days
 * before T's day, whole minutes of T's day before T's minute, then the lines of T's own minute.
 */
@Component
public class Liability {

    private final JdbcTemplate jdbc;

    Liability(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Minor units owed to players at {@code asOf} (inclusive). */
    public long asOf(Instant requested) {
        // PostgreSQL keeps microseconds, and pgjdbc rounds a finer instant up to the next one: the inclusive bound
        // then took in the lines of that later microsecond.
        Instant asOf = requested.truncatedTo(ChronoUnit.MICROS);
        Instant minute = asOf.truncatedTo(ChronoUnit.MINUTES);
        Instant day = asOf.truncatedTo(ChronoUnit.DAYS);
        Long total = jdbc.queryForObject("""
                select (select coalesce(sum(balance_change), 0) from liability_day where day < ?)
                     + (select coalesce(sum(balance_change), 0) from liability_minute where minute >= ? and minute < ?)
                     + (select coalesce(sum(balance_change), 0) from statement_line
                        where occurred_at >= ? and occurred_at <= ?)
                """, Long.class, LocalDate.ofInstant(day, ZoneOffset.UTC), utc(day), utc(minute), utc(minute),
                utc(asOf));
        return total == null ? 0 : total;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
