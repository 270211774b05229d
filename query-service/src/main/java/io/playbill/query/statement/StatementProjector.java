package io.playbill.query.statement;

import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.TableProjector;
import io.playbill.query.readmodel.StatementLine;
import io.playbill.query.readmodel.StatementModel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores the {@link StatementModel}: {@code statement_line}, each user's running balance in
 * {@code statement_account}, and the balance changes summed per minute and day ({@code liability_minute},
 * {@code liability_day}) that {@link Liability} reads.
 */
@Component
class StatementProjector extends TableProjector<String, StatementModel.Position, StatementModel> {

    StatementProjector(JdbcTemplate jdbc) {
        super(Projection.STATEMENT, jdbc, StatementModel::new);
    }

    @Override
    protected Map<String, StatementModel.Position> load(ProjectionTables tables, Set<String> users) {
        Map<String, StatementModel.Position> positions = new HashMap<>();
        jdbc.query("select user_id, balance, last_sequence from " + tables.of("statement_account")
                + " where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
                    positions.put(rs.getString("user_id"), new StatementModel.Position(rs.getString("user_id"),
                            rs.getLong("balance"), rs.getLong("last_sequence")));
                });
        return positions;
    }

    @Override
    protected void write(ProjectionTables tables, List<StatementModel.Position> changed, StatementModel model) {
        jdbc.batchUpdate("insert into " + tables.of("statement_account") + " (user_id, balance, last_sequence)"
                + " values (?, ?, ?) on conflict (user_id) do update set balance = excluded.balance,"
                + " last_sequence = excluded.last_sequence", changed, changed.size(), (ps, p) -> {
                    ps.setString(1, p.userId());
                    ps.setLong(2, p.balance());
                    ps.setLong(3, p.lastSequence());
                });
        List<StatementLine> lines = model.lines();
        jdbc.batchUpdate("insert into " + tables.of("statement_line") + " (event_id, user_id, seq, occurred_at, kind,"
                + " amount, balance_after, balance_change, reference, reason, session_id, queue, seconds)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (event_id) do nothing",
                lines, lines.size(), (ps, line) -> {
                    ps.setString(1, line.eventId());
                    ps.setString(2, line.userId());
                    ps.setLong(3, line.sequence());
                    Jdbc.setMillis(ps, 4, line.occurredAt());
                    ps.setString(5, line.kind());
                    ps.setLong(6, line.amount());
                    ps.setLong(7, line.balanceAfter());
                    ps.setLong(8, line.balanceChange());
                    Jdbc.setText(ps, 9, line.reference());
                    Jdbc.setText(ps, 10, line.reason());
                    Jdbc.setText(ps, 11, line.session());
                    Jdbc.setText(ps, 12, line.queue());
                    Jdbc.setLong(ps, 13, line.seconds());
                });
        String minutes = tables.of("liability_minute");
        List<Map.Entry<Long, Long>> minuteChanges = new ArrayList<>(model.minuteChanges().entrySet());
        jdbc.batchUpdate("insert into " + minutes + " (minute, balance_change) values (?, ?) on conflict (minute)"
                + " do update set balance_change = " + minutes + ".balance_change + excluded.balance_change",
                minuteChanges, minuteChanges.size(), (ps, e) -> {
                    Jdbc.setMillis(ps, 1, e.getKey());
                    ps.setLong(2, e.getValue());
                });
        String days = tables.of("liability_day");
        List<Map.Entry<LocalDate, Long>> dayChanges = new ArrayList<>(model.dayChanges().entrySet());
        jdbc.batchUpdate("insert into " + days + " (day, balance_change) values (?, ?) on conflict (day)"
                + " do update set balance_change = " + days + ".balance_change + excluded.balance_change",
                dayChanges, dayChanges.size(), (ps, e) -> {
                    Jdbc.setDate(ps, 1, e.getKey());
                    ps.setLong(2, e.getValue());
                });
    }
}
