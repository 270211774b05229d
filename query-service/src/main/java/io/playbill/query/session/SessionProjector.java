package io.playbill.query.session;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.TableProjector;
import io.playbill.query.readmodel.SessionModel;
import io.playbill.query.readmodel.SessionRow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stores the {@link SessionModel}: {@code game_session}, one row per session. */
@Component
class SessionProjector extends TableProjector<SessionRow.Key, SessionRow, SessionModel> {

    SessionProjector(JdbcTemplate jdbc) {
        super(Projection.SESSIONS, jdbc, SessionModel::new);
    }

    @Override
    protected Map<SessionRow.Key, SessionRow> load(ProjectionTables tables, Set<SessionRow.Key> keys) {
        List<String> users = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        keys.forEach(key -> {
            users.add(key.userId());
            sessions.add(key.sessionId());
        });
        Map<SessionRow.Key, SessionRow> rows = new HashMap<>();
        jdbc.query("select * from " + tables.of("game_session") + " where (user_id, session_id) in"
                + " (select u, s from unnest(?::text[], ?::text[]) as k(u, s))", ps -> {
                    Jdbc.setTextArray(ps, 1, users);
                    Jdbc.setTextArray(ps, 2, sessions);
                }, rs -> {
                    SessionRow.Key key = new SessionRow.Key(rs.getString("user_id"), rs.getString("session_id"));
                    rows.put(key, new SessionRow(key, rs.getLong("last_sequence"))
                            .life(rs.getString("queue"), rs.getString("status"), rs.getString("billing_mode"),
                                    Jdbc.millis(rs, "authorized_at"), Jdbc.millis(rs, "started_at"),
                                    Jdbc.millis(rs, "first_renew_at"), Jdbc.millis(rs, "ended_at"),
                                    rs.getString("end_reason"))
                            .billing(rs.getLong("billed_seconds"), rs.getLong("charged_amount"),
                                    rs.getLong("deadline_seconds"), rs.getLong("price_per_minute")));
                });
        return rows;
    }

    @Override
    protected void write(ProjectionTables tables, List<SessionRow> changed, SessionModel model) {
        jdbc.batchUpdate("insert into " + tables.of("game_session") + " (user_id, session_id, queue, status,"
                + " billing_mode, authorized_at, started_at, first_renew_at, ended_at, end_reason, billed_seconds,"
                + " charged_amount, deadline_seconds, price_per_minute, last_sequence)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (user_id, session_id) do update set"
                + " queue = excluded.queue, status = excluded.status, billing_mode = excluded.billing_mode,"
                + " authorized_at = excluded.authorized_at, started_at = excluded.started_at,"
                + " first_renew_at = excluded.first_renew_at, ended_at = excluded.ended_at,"
                + " end_reason = excluded.end_reason, billed_seconds = excluded.billed_seconds,"
                + " charged_amount = excluded.charged_amount, deadline_seconds = excluded.deadline_seconds,"
                + " price_per_minute = excluded.price_per_minute, last_sequence = excluded.last_sequence",
                changed, changed.size(), (ps, row) -> {
                    ps.setString(1, row.key().userId());
                    ps.setString(2, row.key().sessionId());
                    ps.setString(3, row.queue());
                    ps.setString(4, row.status());
                    Jdbc.setText(ps, 5, row.billingMode());
                    Jdbc.setMillis(ps, 6, row.authorizedAt());
                    Jdbc.setMillis(ps, 7, row.startedAt());
                    Jdbc.setMillis(ps, 8, row.firstRenewAt());
                    Jdbc.setMillis(ps, 9, row.endedAt());
                    Jdbc.setText(ps, 10, row.endReason());
                    ps.setLong(11, row.billedSeconds());
                    ps.setLong(12, row.chargedAmount());
                    ps.setLong(13, row.deadline());
                    ps.setLong(14, row.pricePerMinute());
                    ps.setLong(15, row.lastSequence());
                });
    }
}
