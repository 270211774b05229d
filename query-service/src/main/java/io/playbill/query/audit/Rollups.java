package io.playbill.query.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The finance rollups recomputed from the event store's events (UTC buckets by each event's own time), to compare
 * with the finance projection's tables.
 */
final class Rollups {

    static final int DEPOSITS = 0;
    static final int REFUNDS = 2;
    static final int ADJUSTMENTS = 4;

    /** (hour, queue) → revenue, playtime seconds, sessions started. */
    final Map<Bucket, long[]> hours = new HashMap<>();
    /** (day, queue) → revenue, playtime seconds, sessions started. */
    final Map<Bucket, long[]> days = new HashMap<>();
    /** day → deposits, deposit amount, refunds, refund amount, adjustments, adjustment amount. */
    final Map<LocalDate, long[]> money = new HashMap<>();

    void usage(String queue, long atMillis, long revenue, long seconds, long sessions) {
        Instant at = Instant.ofEpochMilli(atMillis);
        add(hours.computeIfAbsent(new Bucket(at.truncatedTo(ChronoUnit.HOURS), queue), k -> new long[3]), revenue,
                seconds, sessions);
        add(days.computeIfAbsent(new Bucket(LocalDate.ofInstant(at, ZoneOffset.UTC), queue), k -> new long[3]),
                revenue, seconds, sessions);
    }

    private static void add(long[] bucket, long revenue, long seconds, long sessions) {
        bucket[0] += revenue;
        bucket[1] += seconds;
        bucket[2] += sessions;
    }

    void money(long atMillis, int column, long amount) {
        long[] day = money.computeIfAbsent(LocalDate.ofInstant(Instant.ofEpochMilli(atMillis), ZoneOffset.UTC),
                k -> new long[6]);
        day[column]++;
        day[column + 1] += amount;
    }

    /** A time bucket (an hour's start instant or a day) of one queue. */
    record Bucket(Object period, String queue) {
    }
}
