package io.playbill.query.session;

import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row per game session with its life (authorized, started, first renew, end and why) and its billing (billed
 * seconds, charged amount, last deadline and price). Each row remembers the last user event applied to it, so a
 * redelivered event changes nothing.
 */
final class SessionProjector implements Projector {

    private final JdbcTemplate jdbc;
    private final String select;
    private final String upsert;

    SessionProjector(JdbcTemplate jdbc, ProjectionTables tables) {
        this.jdbc = jdbc;
        String table = tables.of("game_session");
        select = "select * from " + table + " where (user_id, session_id) in"
                + " (select u, s from unnest(?::text[], ?::text[]) as k(u, s))";
        upsert = "insert into " + table + " (user_id, session_id, queue, status, billing_mode, authorized_at,"
                + " started_at, first_renew_at, ended_at, end_reason, billed_seconds, charged_amount,"
                + " deadline_seconds, price_per_minute, last_sequence)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (user_id, session_id) do update set"
                + " queue = excluded.queue, status = excluded.status, billing_mode = excluded.billing_mode,"
                + " authorized_at = excluded.authorized_at, started_at = excluded.started_at,"
                + " first_renew_at = excluded.first_renew_at, ended_at = excluded.ended_at,"
                + " end_reason = excluded.end_reason, billed_seconds = excluded.billed_seconds,"
                + " charged_amount = excluded.charged_amount, deadline_seconds = excluded.deadline_seconds,"
                + " price_per_minute = excluded.price_per_minute, last_sequence = excluded.last_sequence";
    }

    @Override
    public void apply(List<LedgerEvent> events) {
        Map<List<String>, Row> rows = new LinkedHashMap<>();
        for (LedgerEvent event : events) {
            String session = sessionOf(event.payload());
            if (session != null) {
                rows.putIfAbsent(List.of(event.aggregateId(), session), null);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        load(rows);
        for (LedgerEvent event : events) {
            String session = sessionOf(event.payload());
            if (session == null) {
                continue;
            }
            List<String> key = List.of(event.aggregateId(), session);
            Row row = rows.get(key);
            if (row == null) {
                row = new Row(event.aggregateId(), session);
                rows.put(key, row);
            }
            if (event.sequence() > row.lastSequence) {
                row.apply(event.payload());
                row.lastSequence = event.sequence();
                row.dirty = true;
            }
        }
        write(rows.values());
    }

    private static String sessionOf(Object payload) {
        if (payload instanceof SessionAuthorized e) {
            return e.session();
        } else if (payload instanceof SessionStarted e) {
            return e.session();
        } else if (payload instanceof PlaytimeCharged e) {
            return e.session();
        } else if (payload instanceof SessionRenewed e) {
            return e.session();
        } else if (payload instanceof SessionEnded e) {
            return e.session();
        }
        return null;
    }

    private void load(Map<List<String>, Row> rows) {
        List<String> users = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        rows.keySet().forEach(key -> {
            users.add(key.get(0));
            sessions.add(key.get(1));
        });
        jdbc.query(select, ps -> {
            Jdbc.setTextArray(ps, 1, users);
            Jdbc.setTextArray(ps, 2, sessions);
        }, rs -> {
            Row row = new Row(rs.getString("user_id"), rs.getString("session_id"));
            row.queue = rs.getString("queue");
            row.status = rs.getString("status");
            row.billingMode = rs.getString("billing_mode");
            row.authorizedAt = Jdbc.millis(rs, "authorized_at");
            row.startedAt = Jdbc.millis(rs, "started_at");
            row.firstRenewAt = Jdbc.millis(rs, "first_renew_at");
            row.endedAt = Jdbc.millis(rs, "ended_at");
            row.endReason = rs.getString("end_reason");
            row.billedSeconds = rs.getLong("billed_seconds");
            row.chargedAmount = rs.getLong("charged_amount");
            row.deadline = rs.getLong("deadline_seconds");
            row.pricePerMinute = rs.getLong("price_per_minute");
            row.lastSequence = rs.getLong("last_sequence");
            rows.put(List.of(row.userId, row.sessionId), row);
        });
    }

    private void write(Iterable<Row> rows) {
        List<Row> dirty = new ArrayList<>();
        rows.forEach(row -> {
            if (row != null && row.dirty) {
                dirty.add(row);
            }
        });
        jdbc.batchUpdate(upsert, dirty, dirty.size(), (ps, row) -> {
            ps.setString(1, row.userId);
            ps.setString(2, row.sessionId);
            ps.setString(3, row.queue);
            ps.setString(4, row.status);
            Jdbc.setText(ps, 5, row.billingMode);
            Jdbc.setMillis(ps, 6, row.authorizedAt);
            Jdbc.setMillis(ps, 7, row.startedAt);
            Jdbc.setMillis(ps, 8, row.firstRenewAt);
            Jdbc.setMillis(ps, 9, row.endedAt);
            Jdbc.setText(ps, 10, row.endReason);
            ps.setLong(11, row.billedSeconds);
            ps.setLong(12, row.chargedAmount);
            ps.setLong(13, row.deadline);
            ps.setLong(14, row.pricePerMinute);
            ps.setLong(15, row.lastSequence);
        });
    }

    /** A session's row as loaded, changed in memory by the batch and written back once. */
    private static final class Row {
        final String userId;
        final String sessionId;
        String queue;
        String status;
        String billingMode;
        Long authorizedAt;
        Long startedAt;
        Long firstRenewAt;
        Long endedAt;
        String endReason;
        long billedSeconds;
        long chargedAmount;
        long deadline;
        long pricePerMinute;
        long lastSequence = -1;
        boolean dirty;

        Row(String userId, String sessionId) {
            this.userId = userId;
            this.sessionId = sessionId;
        }

        void apply(Object payload) {
            if (payload instanceof SessionAuthorized e) {
                queue = e.queue();
                status = SessionView.AUTHORIZED;
                authorizedAt = e.receivedAtMillis();
                pricePerMinute = e.pricePerMinute();
            } else if (payload instanceof SessionStarted e) {
                firstSeen(e.queue(), e.receivedAtMillis());
                status = SessionView.STARTED;
                billingMode = e.billingMode().name().toLowerCase(Locale.ROOT);
                startedAt = e.receivedAtMillis();
                pricePerMinute = e.pricePerMinute();
            } else if (payload instanceof PlaytimeCharged e) {
                firstSeen(e.queue(), e.receivedAtMillis());
                billedSeconds = e.billedSeconds().value();
                chargedAmount += e.amount().minorUnits();
            } else if (payload instanceof SessionRenewed e) {
                firstSeen(e.queue(), e.receivedAtMillis());
                status = SessionView.BILLING;
                firstRenewAt = e.firstRenewAtMillis();
                billedSeconds = e.billedSeconds().value();
                deadline = e.deadline().value();
                pricePerMinute = e.pricePerMinute();
            } else if (payload instanceof SessionEnded e) {
                firstSeen(e.queue(), e.endedAtMillis());
                status = SessionView.ENDED;
                endedAt = e.endedAtMillis();
                endReason = e.reason().name().toLowerCase(Locale.ROOT);
                billedSeconds = e.billedSeconds().value();
                chargedAmount = e.chargedAmount().minorUnits();
                deadline = e.deadline().value();
            }
        }

        /** A row first seen through a later event (its authorization never arrived) still gets a queue and time. */
        private void firstSeen(String eventQueue, long atMillis) {
            if (queue == null) {
                queue = eventQueue;
                status = SessionView.AUTHORIZED;
                authorizedAt = atMillis;
            }
        }
    }
}
