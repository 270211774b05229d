package io.playbill.query.audit;

import io.playbill.query.projection.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The projection rows of a batch of users (account, sessions, statement, finance position), read in a few queries
 * per batch; {@link ProjectionCheck} compares them with what the users' events recorded.
 */
final class ProjectionRows {

    private final Map<String, UserRows> byUser;

    private ProjectionRows(Map<String, UserRows> byUser) {
        this.byUser = byUser;
    }

    /**
     * Reads the rows in one snapshot when the caller holds one (the audit does); each projection's tables in the
     * order a replay's swap locks them ({@code Projection}), since a snapshot keeps each table's lock to its end.
     */
    static ProjectionRows load(JdbcTemplate jdbc, Collection<String> users) {
        Map<String, UserRows> rows = new HashMap<>();
        users.forEach(user -> rows.put(user, new UserRows()));
        jdbc.query("select * from account where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    rows.get(rs.getString("user_id")).account = new AccountRow(rs.getLong("balance"),
                            rs.getLong("playtime_seconds"), rs.getInt("active_sessions"), rs.getLong("last_sequence"));
                });
        jdbc.query("select * from account_queue where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    rows.get(rs.getString("user_id")).queues.put(rs.getString("queue"), rs.getLong("playtime_seconds"));
                });
        jdbc.query("select * from game_session where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    rows.get(rs.getString("user_id")).sessions.put(rs.getString("session_id"),
                            new SessionRow(rs.getString("queue"), rs.getString("status"), rs.getLong("billed_seconds"),
                                    rs.getLong("charged_amount"), rs.getString("end_reason"),
                                    rs.getLong("last_sequence")));
                });
        jdbc.query("select * from statement_line where user_id = any(?) order by user_id, seq",
                ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
                    rows.get(rs.getString("user_id")).lines.add(new RecordedAccount.MoneyLine(rs.getLong("seq"),
                            rs.getString("event_id"), rs.getString("kind"), rs.getLong("amount"),
                            rs.getLong("balance_after")));
                });
        jdbc.query("select * from statement_account where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    UserRows user = rows.get(rs.getString("user_id"));
                    user.statementAt = rs.getLong("last_sequence");
                    user.statementBalance = rs.getLong("balance");
                });
        jdbc.query("select * from finance_position where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    rows.get(rs.getString("user_id")).financeAt = rs.getLong("last_sequence");
                });
        return new ProjectionRows(rows);
    }

    /** What to capture while replaying {@code user}'s events: the rows' applied sequences. */
    RecordedAccount.Wanted wanted(String user) {
        UserRows rows = byUser.get(user);
        Map<Long, List<String>> sessionsAt = new HashMap<>();
        rows.sessions.forEach((session, row) -> sessionsAt.computeIfAbsent(row.lastSequence(), k -> new ArrayList<>())
                .add(session));
        return new RecordedAccount.Wanted(rows.account == null ? -1 : rows.account.lastSequence(),
                rows.statementAt == null ? -1 : rows.statementAt, sessionsAt);
    }

    /** The rows of {@code user}, one of the batch's users. */
    UserRows of(String user) {
        return byUser.get(user);
    }

    record AccountRow(long balance, long playtime, int activeSessions, long lastSequence) {
    }

    record SessionRow(String queue, String status, long billedSeconds, long chargedAmount, String endReason,
                      long lastSequence) {
    }

    /** The rows of one user. */
    static final class UserRows {
        AccountRow account;
        final Map<String, Long> queues = new HashMap<>();
        final Map<String, SessionRow> sessions = new HashMap<>();
        Long statementAt;
        long statementBalance;
        final List<RecordedAccount.MoneyLine> lines = new ArrayList<>();
        Long financeAt;
    }
}
