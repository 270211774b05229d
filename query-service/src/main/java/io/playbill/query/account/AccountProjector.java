package io.playbill.query.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.query.projection.AccountEvents;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row per user: balance (the latest {@code balanceAfter}), billed playtime in total and per queue, and the
 * number of sessions that are not over. Playtime is billed seconds, the playtime the ledger accounted for.
 */
final class AccountProjector implements Projector {

    private final JdbcTemplate jdbc;
    private final String select;
    private final String upsert;
    private final String addPlaytime;

    AccountProjector(JdbcTemplate jdbc, ProjectionTables tables) {
        this.jdbc = jdbc;
        String account = tables.of("account");
        String queue = tables.of("account_queue");
        select = "select user_id, balance, playtime_seconds, active_sessions, opened_at, last_sequence from " + account
                + " where user_id = any(?)";
        upsert = "insert into " + account
                + " (user_id, balance, playtime_seconds, active_sessions, opened_at, last_sequence)"
                + " values (?, ?, ?, ?, ?, ?) on conflict (user_id) do update set balance = excluded.balance,"
                + " playtime_seconds = excluded.playtime_seconds, active_sessions = excluded.active_sessions,"
                + " opened_at = excluded.opened_at, last_sequence = excluded.last_sequence";
        addPlaytime = "insert into " + queue + " (user_id, queue, playtime_seconds) values (?, ?, ?)"
                + " on conflict (user_id, queue) do update set playtime_seconds = " + queue
                + ".playtime_seconds + excluded.playtime_seconds";
    }

    @Override
    public void apply(List<LedgerEvent> events) {
        List<String> users = AccountEvents.users(events);
        if (users.isEmpty()) {
            return;
        }
        Map<String, Row> rows = load(users);
        Map<List<String>, Long> playtime = new LinkedHashMap<>();
        for (LedgerEvent event : events) {
            if (!AccountEvents.isAccountEvent(event)) {
                continue;
            }
            Row row = rows.computeIfAbsent(event.aggregateId(), Row::new);
            if (event.sequence() <= row.lastSequence) {
                continue;
            }
            row.lastSequence = event.sequence();
            row.dirty = true;
            Object payload = event.payload();
            if (payload instanceof AccountOpened opened) {
                row.openedAt = opened.openedAtMillis();
            } else if (payload instanceof FundsDeposited deposit) {
                row.balance = deposit.balanceAfter().minorUnits();
            } else if (payload instanceof FundsRefunded refund) {
                row.balance = refund.balanceAfter().minorUnits();
            } else if (payload instanceof BalanceAdjusted adjustment) {
                row.balance = adjustment.balanceAfter().minorUnits();
            } else if (payload instanceof PlaytimeCharged charge) {
                row.balance = charge.balanceAfter().minorUnits();
                row.playtime += charge.secondsCharged().value();
                playtime.merge(List.of(row.userId, charge.queue()), charge.secondsCharged().value(), Long::sum);
            } else if (payload instanceof SessionAuthorized) {
                row.activeSessions++;
            } else if (payload instanceof SessionRenewed renewed) {
                row.balance = renewed.balanceAfter().minorUnits();
            } else if (payload instanceof SessionEnded ended) {
                row.balance = ended.balanceAfter().minorUnits();
                row.activeSessions--;
            }
        }
        write(rows, playtime);
    }

    private Map<String, Row> load(List<String> users) {
        Map<String, Row> rows = new HashMap<>();
        jdbc.query(select, ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
            Row row = new Row(rs.getString("user_id"));
            row.balance = rs.getLong("balance");
            row.playtime = rs.getLong("playtime_seconds");
            row.activeSessions = rs.getInt("active_sessions");
            row.openedAt = Jdbc.millis(rs, "opened_at");
            row.lastSequence = rs.getLong("last_sequence");
            rows.put(row.userId, row);
        });
        return rows;
    }

    private void write(Map<String, Row> rows, Map<List<String>, Long> playtime) {
        List<Row> dirty = new ArrayList<>();
        rows.values().forEach(row -> {
            if (row.dirty) {
                dirty.add(row);
            }
        });
        jdbc.batchUpdate(upsert, dirty, dirty.size(), (ps, row) -> {
            ps.setString(1, row.userId);
            ps.setLong(2, row.balance);
            ps.setLong(3, row.playtime);
            ps.setInt(4, row.activeSessions);
            Jdbc.setMillis(ps, 5, row.openedAt);
            ps.setLong(6, row.lastSequence);
        });
        List<Map.Entry<List<String>, Long>> added = new ArrayList<>(playtime.entrySet());
        jdbc.batchUpdate(addPlaytime, added, added.size(), (ps, entry) -> {
            ps.setString(1, entry.getKey().get(0));
            ps.setString(2, entry.getKey().get(1));
            ps.setLong(3, entry.getValue());
        });
    }

    /** A user's row as loaded, changed in memory by the batch and written back once. */
    private static final class Row {
        final String userId;
        long balance;
        long playtime;
        int activeSessions;
        Long openedAt;
        long lastSequence = -1;
        boolean dirty;

        Row(String userId) {
            this.userId = userId;
        }
    }
}
