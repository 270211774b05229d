package io.playbill.query.statement;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.query.projection.AccountEvents;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One statement line per money event (deposit, charge, refund, adjustment) with the running balance the ledger
 * recorded, plus per-minute and per-day sums of the balance changes: Σ balance changes up to T = Σ of every
 * account's balance at T, the prepaid liability.
 */
final class StatementProjector implements Projector {

    private static final long MINUTE = 60_000;

    private final JdbcTemplate jdbc;
    private final String selectAccounts;
    private final String upsertAccount;
    private final String insertLine;
    private final String addMinute;
    private final String addDay;

    StatementProjector(JdbcTemplate jdbc, ProjectionTables tables) {
        this.jdbc = jdbc;
        String accounts = tables.of("statement_account");
        String minutes = tables.of("liability_minute");
        String days = tables.of("liability_day");
        selectAccounts = "select user_id, balance, last_sequence from " + accounts + " where user_id = any(?)";
        upsertAccount = "insert into " + accounts + " (user_id, balance, last_sequence) values (?, ?, ?)"
                + " on conflict (user_id) do update set balance = excluded.balance,"
                + " last_sequence = excluded.last_sequence";
        insertLine = "insert into " + tables.of("statement_line") + " (event_id, user_id, seq, occurred_at, kind,"
                + " amount, balance_after, balance_change, reference, reason, session_id, queue, seconds)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing";
        addMinute = "insert into " + minutes + " (minute, balance_change) values (?, ?) on conflict (minute)"
                + " do update set balance_change = " + minutes + ".balance_change + excluded.balance_change";
        addDay = "insert into " + days + " (day, balance_change) values (?, ?) on conflict (day)"
                + " do update set balance_change = " + days + ".balance_change + excluded.balance_change";
    }

    @Override
    public void apply(List<LedgerEvent> events) {
        List<String> users = AccountEvents.users(events);
        if (users.isEmpty()) {
            return;
        }
        Map<String, Position> positions = load(users);
        List<Line> lines = new ArrayList<>();
        Map<Long, Long> minutes = new TreeMap<>();
        Map<LocalDate, Long> days = new TreeMap<>();
        for (LedgerEvent event : events) {
            if (!AccountEvents.isAccountEvent(event)) {
                continue;
            }
            Position position = positions.computeIfAbsent(event.aggregateId(), Position::new);
            if (event.sequence() <= position.lastSequence) {
                continue;
            }
            position.lastSequence = event.sequence();
            position.dirty = true;
            Line line = lineOf(event);
            if (line == null) {
                continue;
            }
            line.balanceChange = line.balanceAfter - position.balance;
            position.balance = line.balanceAfter;
            lines.add(line);
            if (line.balanceChange != 0) {
                minutes.merge(Math.floorDiv(line.occurredAt, MINUTE) * MINUTE, line.balanceChange, Long::sum);
                days.merge(LocalDate.ofInstant(Instant.ofEpochMilli(line.occurredAt), ZoneOffset.UTC),
                        line.balanceChange, Long::sum);
            }
        }
        write(positions, lines, minutes, days);
    }

    private static Line lineOf(LedgerEvent event) {
        Object payload = event.payload();
        Line line = new Line(event);
        if (payload instanceof FundsDeposited e) {
            line.set(StatementLineView.DEPOSIT, e.receivedAtMillis(), e.amount().minorUnits(), e.balanceAfter().minorUnits());
            line.reference = e.reference();
        } else if (payload instanceof FundsRefunded e) {
            line.set(StatementLineView.REFUND, e.receivedAtMillis(), -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            line.reference = e.reference();
            line.reason = e.reason();
        } else if (payload instanceof BalanceAdjusted e) {
            line.set(StatementLineView.ADJUSTMENT, e.receivedAtMillis(), e.amount().minorUnits(), e.balanceAfter().minorUnits());
            line.reference = e.reference();
            line.reason = e.reason();
        } else if (payload instanceof PlaytimeCharged e) {
            line.set(StatementLineView.CHARGE, e.receivedAtMillis(), -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            line.session = e.session();
            line.queue = e.queue();
            line.seconds = e.secondsCharged().value();
        } else {
            return null;
        }
        return line;
    }

    private Map<String, Position> load(List<String> users) {
        Map<String, Position> positions = new HashMap<>();
        jdbc.query(selectAccounts, ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
            Position position = new Position(rs.getString("user_id"));
            position.balance = rs.getLong("balance");
            position.lastSequence = rs.getLong("last_sequence");
            positions.put(position.userId, position);
        });
        return positions;
    }

    private void write(Map<String, Position> positions, List<Line> lines, Map<Long, Long> minutes,
                       Map<LocalDate, Long> days) {
        List<Position> dirty = positions.values().stream().filter(p -> p.dirty).toList();
        jdbc.batchUpdate(upsertAccount, dirty, dirty.size(), (ps, p) -> {
            ps.setString(1, p.userId);
            ps.setLong(2, p.balance);
            ps.setLong(3, p.lastSequence);
        });
        jdbc.batchUpdate(insertLine, lines, lines.size(), (ps, line) -> {
            ps.setString(1, line.eventId);
            ps.setString(2, line.userId);
            ps.setLong(3, line.sequence);
            Jdbc.setMillis(ps, 4, line.occurredAt);
            ps.setString(5, line.kind);
            ps.setLong(6, line.amount);
            ps.setLong(7, line.balanceAfter);
            ps.setLong(8, line.balanceChange);
            Jdbc.setText(ps, 9, line.reference);
            Jdbc.setText(ps, 10, line.reason);
            Jdbc.setText(ps, 11, line.session);
            Jdbc.setText(ps, 12, line.queue);
            Jdbc.setLong(ps, 13, line.seconds);
        });
        List<Map.Entry<Long, Long>> minuteChanges = new ArrayList<>(minutes.entrySet());
        jdbc.batchUpdate(addMinute, minuteChanges, minuteChanges.size(), (ps, e) -> {
            Jdbc.setMillis(ps, 1, e.getKey());
            ps.setLong(2, e.getValue());
        });
        List<Map.Entry<LocalDate, Long>> dayChanges = new ArrayList<>(days.entrySet());
        jdbc.batchUpdate(addDay, dayChanges, dayChanges.size(), (ps, e) -> {
            Jdbc.setDate(ps, 1, e.getKey());
            ps.setLong(2, e.getValue());
        });
    }

    /** A user's last applied event and running balance. */
    private static final class Position {
        final String userId;
        long balance;
        long lastSequence = -1;
        boolean dirty;

        Position(String userId) {
            this.userId = userId;
        }
    }

    /** A statement line being built. */
    private static final class Line {
        final String eventId;
        final String userId;
        final long sequence;
        String kind;
        long occurredAt;
        long amount;
        long balanceAfter;
        long balanceChange;
        String reference;
        String reason;
        String session;
        String queue;
        Long seconds;

        Line(LedgerEvent event) {
            this.eventId = event.eventId();
            this.userId = event.aggregateId();
            this.sequence = event.sequence();
        }

        void set(String lineKind, long atMillis, long signedAmount, long balance) {
            kind = lineKind;
            occurredAt = atMillis;
            amount = signedAmount;
            balanceAfter = balance;
        }
    }
}
