package io.playbill.query.finance;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.projection.AccountEvents;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rollups for finance, in UTC: per queue and hour/day the revenue (Σ charged amounts), the billed playtime and the
 * sessions started; per day the deposits, refunds and adjustments. Reports read only these, never the lines.
 * Each event is bucketed by its own time (the gateway's receive time), so a replay files it in the same bucket.
 */
final class FinanceProjector implements Projector {

    private final JdbcTemplate jdbc;
    private final String selectPositions;
    private final String upsertPosition;
    private final String addHour;
    private final String addDay;
    private final String addMoney;

    FinanceProjector(JdbcTemplate jdbc, ProjectionTables tables) {
        this.jdbc = jdbc;
        String positions = tables.of("finance_position");
        String hours = tables.of("queue_hour");
        String days = tables.of("queue_day");
        String money = tables.of("money_day");
        selectPositions = "select user_id, last_sequence from " + positions + " where user_id = any(?)";
        upsertPosition = "insert into " + positions + " (user_id, last_sequence) values (?, ?)"
                + " on conflict (user_id) do update set last_sequence = excluded.last_sequence";
        addHour = "insert into " + hours + " (hour, queue, revenue, playtime_seconds, sessions) values (?, ?, ?, ?, ?)"
                + " on conflict (hour, queue) do update set revenue = " + hours + ".revenue + excluded.revenue,"
                + " playtime_seconds = " + hours + ".playtime_seconds + excluded.playtime_seconds,"
                + " sessions = " + hours + ".sessions + excluded.sessions";
        addDay = "insert into " + days + " (day, queue, revenue, playtime_seconds, sessions) values (?, ?, ?, ?, ?)"
                + " on conflict (day, queue) do update set revenue = " + days + ".revenue + excluded.revenue,"
                + " playtime_seconds = " + days + ".playtime_seconds + excluded.playtime_seconds,"
                + " sessions = " + days + ".sessions + excluded.sessions";
        addMoney = "insert into " + money + " (day, deposits, deposit_amount, refunds, refund_amount, adjustments,"
                + " adjustment_amount) values (?, ?, ?, ?, ?, ?, ?) on conflict (day) do update set"
                + " deposits = " + money + ".deposits + excluded.deposits,"
                + " deposit_amount = " + money + ".deposit_amount + excluded.deposit_amount,"
                + " refunds = " + money + ".refunds + excluded.refunds,"
                + " refund_amount = " + money + ".refund_amount + excluded.refund_amount,"
                + " adjustments = " + money + ".adjustments + excluded.adjustments,"
                + " adjustment_amount = " + money + ".adjustment_amount + excluded.adjustment_amount";
    }

    @Override
    public void apply(List<LedgerEvent> events) {
        List<String> users = AccountEvents.users(events);
        if (users.isEmpty()) {
            return;
        }
        Map<String, long[]> positions = load(users);
        Map<String, Long> changed = new HashMap<>();
        Map<QueueBucket<Instant>, long[]> hours = new TreeMap<>();
        Map<QueueBucket<LocalDate>, long[]> days = new TreeMap<>();
        Map<LocalDate, long[]> money = new TreeMap<>();
        for (LedgerEvent event : events) {
            if (!AccountEvents.isAccountEvent(event)) {
                continue;
            }
            long[] last = positions.computeIfAbsent(event.aggregateId(), user -> new long[]{-1});
            if (event.sequence() <= last[0]) {
                continue;
            }
            last[0] = event.sequence();
            changed.put(event.aggregateId(), event.sequence());
            Object payload = event.payload();
            if (payload instanceof PlaytimeCharged e) {
                usage(hours, days, e.queue(), e.receivedAtMillis(), e.amount().minorUnits(), e.secondsCharged().value(), 0);
            } else if (payload instanceof SessionStarted e) {
                usage(hours, days, e.queue(), e.receivedAtMillis(), 0, 0, 1);
            } else if (payload instanceof FundsDeposited e) {
                add(money, e.receivedAtMillis(), 0, e.amount().minorUnits());
            } else if (payload instanceof FundsRefunded e) {
                add(money, e.receivedAtMillis(), 2, e.amount().minorUnits());
            } else if (payload instanceof BalanceAdjusted e) {
                add(money, e.receivedAtMillis(), 4, e.amount().minorUnits());
            }
        }
        write(changed, hours, days, money);
    }

    private static void usage(Map<QueueBucket<Instant>, long[]> hours, Map<QueueBucket<LocalDate>, long[]> days,
                              String queue, long atMillis, long revenue, long seconds, long sessions) {
        Instant at = Instant.ofEpochMilli(atMillis);
        long[] hour = hours.computeIfAbsent(new QueueBucket<>(at.truncatedTo(ChronoUnit.HOURS), queue),
                k -> new long[3]);
        long[] day = days.computeIfAbsent(new QueueBucket<>(LocalDate.ofInstant(at, ZoneOffset.UTC), queue),
                k -> new long[3]);
        for (long[] bucket : List.of(hour, day)) {
            bucket[0] += revenue;
            bucket[1] += seconds;
            bucket[2] += sessions;
        }
    }

    /** Adds one movement to a day: {@code column} 0 = deposits, 2 = refunds, 4 = adjustments (count, amount). */
    private static void add(Map<LocalDate, long[]> money, long atMillis, int column, long amount) {
        long[] day = money.computeIfAbsent(LocalDate.ofInstant(Instant.ofEpochMilli(atMillis), ZoneOffset.UTC),
                k -> new long[6]);
        day[column]++;
        day[column + 1] += amount;
    }

    private Map<String, long[]> load(List<String> users) {
        Map<String, long[]> positions = new HashMap<>();
        jdbc.query(selectPositions, ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    positions.put(rs.getString(1), new long[]{rs.getLong(2)});
                });
        return positions;
    }

    private void write(Map<String, Long> positions, Map<QueueBucket<Instant>, long[]> hours,
                       Map<QueueBucket<LocalDate>, long[]> days, Map<LocalDate, long[]> money) {
        List<Map.Entry<String, Long>> moved = new ArrayList<>(positions.entrySet());
        jdbc.batchUpdate(upsertPosition, moved, moved.size(), (ps, e) -> {
            ps.setString(1, e.getKey());
            ps.setLong(2, e.getValue());
        });
        List<Map.Entry<QueueBucket<Instant>, long[]>> hourRows = new ArrayList<>(hours.entrySet());
        jdbc.batchUpdate(addHour, hourRows, hourRows.size(), (ps, e) -> {
            Jdbc.setInstant(ps, 1, e.getKey().bucket());
            ps.setString(2, e.getKey().queue());
            setUsage(ps, e.getValue());
        });
        List<Map.Entry<QueueBucket<LocalDate>, long[]>> dayRows = new ArrayList<>(days.entrySet());
        jdbc.batchUpdate(addDay, dayRows, dayRows.size(), (ps, e) -> {
            Jdbc.setDate(ps, 1, e.getKey().bucket());
            ps.setString(2, e.getKey().queue());
            setUsage(ps, e.getValue());
        });
        List<Map.Entry<LocalDate, long[]>> moneyRows = new ArrayList<>(money.entrySet());
        jdbc.batchUpdate(addMoney, moneyRows, moneyRows.size(), (ps, e) -> {
            Jdbc.setDate(ps, 1, e.getKey());
            for (int i = 0; i < 6; i++) {
                ps.setLong(i + 2, e.getValue()[i]);
            }
        });
    }

    private static void setUsage(PreparedStatement ps, long[] usage) throws SQLException {
        ps.setLong(3, usage[0]);
        ps.setLong(4, usage[1]);
        ps.setLong(5, usage[2]);
    }

    /** A (time bucket, queue) key, sorted so a batch writes its rows in key order. */
    private record QueueBucket<T extends Comparable<? super T>>(T bucket, String queue)
            implements Comparable<QueueBucket<T>> {

        @Override
        public int compareTo(QueueBucket<T> other) {
            int byBucket = bucket.compareTo(other.bucket);
            return byBucket != 0 ? byBucket : queue.compareTo(other.queue);
        }
    }
}
