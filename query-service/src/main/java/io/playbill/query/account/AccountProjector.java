package io.playbill.query.account;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.TableProjector;
import io.playbill.query.readmodel.AccountModel;
import io.playbill.query.readmodel.AccountRow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Stores the {@link AccountModel}: {@code account} (one row per user) and {@code account_queue} (playtime per queue). */
@Component
class AccountProjector extends TableProjector<String, AccountRow, AccountModel> {

    AccountProjector(JdbcTemplate jdbc) {
        super(Projection.ACCOUNTS, jdbc, AccountModel::new);
    }

    @Override
    protected Map<String, AccountRow> load(ProjectionTables tables, Set<String> users) {
        Map<String, AccountRow> rows = new HashMap<>();
        jdbc.query("select user_id, balance, playtime_seconds, active_sessions, opened_at, last_sequence from "
                + tables.of("account") + " where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
                    AccountRow row = new AccountRow(rs.getString("user_id"), rs.getLong("balance"),
                            rs.getLong("playtime_seconds"), rs.getInt("active_sessions"), Jdbc.millis(rs, "opened_at"),
                            rs.getLong("last_sequence"));
                    rows.put(row.userId(), row);
                });
        return rows;
    }

    @Override
    protected void write(ProjectionTables tables, List<AccountRow> changed, AccountModel model) {
        String account = tables.of("account");
        jdbc.batchUpdate("insert into " + account
                + " (user_id, balance, playtime_seconds, active_sessions, opened_at, last_sequence)"
                + " values (?, ?, ?, ?, ?, ?) on conflict (user_id) do update set balance = excluded.balance,"
                + " playtime_seconds = excluded.playtime_seconds, active_sessions = excluded.active_sessions,"
                + " opened_at = excluded.opened_at, last_sequence = excluded.last_sequence",
                changed, changed.size(), (ps, row) -> {
                    ps.setString(1, row.userId());
                    ps.setLong(2, row.balance());
                    ps.setLong(3, row.playtime());
                    ps.setInt(4, row.activeSessions());
                    Jdbc.setMillis(ps, 5, row.openedAt());
                    ps.setLong(6, row.lastSequence());
                });
        String queue = tables.of("account_queue");
        List<Map.Entry<AccountModel.QueuePlaytime, Long>> added = new ArrayList<>(model.addedPlaytime().entrySet());
        jdbc.batchUpdate("insert into " + queue + " (user_id, queue, playtime_seconds) values (?, ?, ?)"
                + " on conflict (user_id, queue) do update set playtime_seconds = " + queue
                + ".playtime_seconds + excluded.playtime_seconds", added, added.size(), (ps, entry) -> {
                    ps.setString(1, entry.getKey().userId());
                    ps.setString(2, entry.getKey().queue());
                    ps.setLong(3, entry.getValue());
                });
    }
}
