package io.playbill.query.audit;

import io.playbill.query.projection.Jdbc;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The projection rows of a batch of users, read in a few queries per batch, and their comparison with what the
 * user's events recorded at the sequence each row says it has applied. A row behind the events is not a mismatch
 * by itself (projections lag); it is remembered as a {@link Lag} and judged once the topic has been read.
 */
final class ProjectionRows {

    private final Map<String, UserRows> byUser;

    private ProjectionRows(Map<String, UserRows> byUser) {
        this.byUser = byUser;
    }

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
        jdbc.query("select * from statement_account where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    UserRows user = rows.get(rs.getString("user_id"));
                    user.statementAt = rs.getLong("last_sequence");
                    user.statementBalance = rs.getLong("balance");
                });
        jdbc.query("select * from statement_line where user_id = any(?) order by user_id, seq",
                ps -> Jdbc.setTextArray(ps, 1, users), rs -> {
                    rows.get(rs.getString("user_id")).lines.add(new AccountAudit.MoneyLine(rs.getLong("seq"),
                            rs.getString("event_id"), rs.getString("kind"), rs.getLong("amount"),
                            rs.getLong("balance_after")));
                });
        jdbc.query("select * from finance_position where user_id = any(?)", ps -> Jdbc.setTextArray(ps, 1, users),
                rs -> {
                    rows.get(rs.getString("user_id")).financeAt = rs.getLong("last_sequence");
                });
        return new ProjectionRows(rows);
    }

    /** What to capture while replaying {@code user}'s events: the rows' applied sequences. */
    AccountAudit.Wanted wanted(String user) {
        UserRows rows = byUser.get(user);
        Map<Long, List<String>> sessionsAt = new HashMap<>();
        rows.sessions.forEach((session, row) -> sessionsAt.computeIfAbsent(row.lastSequence(), k -> new ArrayList<>())
                .add(session));
        return new AccountAudit.Wanted(rows.account == null ? -1 : rows.account.lastSequence(),
                rows.statementAt == null ? -1 : rows.statementAt, sessionsAt);
    }

    /** Compares {@code user}'s rows with the replayed account; rows beyond the replayed events are not judged. */
    void compare(AccountAudit audit, Events events, Findings findings, List<Lag> lags) {
        String user = audit.user();
        UserRows rows = byUser.get(user);
        long last = audit.lastSequence();
        compareAccount(audit, rows, events, findings);
        compareStatement(audit, rows, events, findings);
        compareSessions(audit, rows, events, findings, lags);
        long accountAt = rows.account == null ? -1 : rows.account.lastSequence();
        long statementAt = rows.statementAt == null ? -1 : rows.statementAt;
        long financeAt = rows.financeAt == null ? -1 : rows.financeAt;
        if (accountAt < last) {
            lags.add(new Lag(user, "accounts", "account row", accountAt, accountAt + 1));
        }
        if (statementAt < last) {
            lags.add(new Lag(user, "statement", "statement", statementAt, statementAt + 1));
        }
        if (financeAt < last) {
            lags.add(new Lag(user, "finance", "finance position", financeAt, financeAt + 1));
        }
    }

    private static void compareAccount(AccountAudit audit, UserRows rows, Events events, Findings findings) {
        if (rows.account == null || rows.account.lastSequence() > audit.lastSequence()) {
            return;
        }
        AccountAudit.AccountSnapshot expected = audit.accountSnapshot();
        AccountRow actual = rows.account;
        List<String> differences = new ArrayList<>();
        differ(differences, "balance", actual.balance(), expected.balance());
        differ(differences, "playtimeSeconds", actual.playtime(), expected.playtimeSeconds());
        differ(differences, "activeSessions", actual.activeSessions(), expected.activeSessions());
        if (!new TreeMap<>(rows.queues).equals(new TreeMap<>(expected.queuePlaytime()))) {
            differences.add("playtime by queue " + new TreeMap<>(rows.queues) + " (events: "
                    + new TreeMap<>(expected.queuePlaytime()) + ")");
        }
        if (!differences.isEmpty()) {
            findings.mismatch("projection_mismatch", audit.user(), "accounts", events.at(actual.lastSequence()),
                    "The account row (applied up to #" + actual.lastSequence() + ") has " + String.join(", ",
                            differences));
        }
    }

    private static void compareStatement(AccountAudit audit, UserRows rows, Events events, Findings findings) {
        if (rows.statementAt == null || rows.statementAt > audit.lastSequence()) {
            return;
        }
        long at = rows.statementAt;
        List<AccountAudit.MoneyLine> expected = audit.lines().stream().filter(line -> line.sequence() <= at).toList();
        List<AccountAudit.MoneyLine> actual = rows.lines;
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            AccountAudit.MoneyLine want = i < expected.size() ? expected.get(i) : null;
            AccountAudit.MoneyLine have = i < actual.size() ? actual.get(i) : null;
            if (want == null || !want.equals(have)) {
                long sequence = want != null ? want.sequence() : have.sequence();
                findings.mismatch("projection_mismatch", audit.user(), "statement", events.at(sequence),
                        "Statement line " + (have == null ? "missing" : have) + "; the events give "
                                + (want == null ? "no line" : want));
                return;
            }
        }
        long balance = audit.statementBalance() == null ? 0 : audit.statementBalance();
        if (rows.statementBalance != balance) {
            findings.mismatch("projection_mismatch", audit.user(), "statement", events.at(at), "The statement's"
                    + " running balance is " + rows.statementBalance + "; the events give " + balance);
        }
    }

    private static void compareSessions(AccountAudit audit, UserRows rows, Events events, Findings findings,
                                        List<Lag> lags) {
        for (Map.Entry<String, SessionRow> entry : rows.sessions.entrySet()) {
            SessionRow actual = entry.getValue();
            if (actual.lastSequence() > audit.lastSequence()) {
                continue;
            }
            AccountAudit.RecordedSession expected = audit.sessionSnapshots().get(entry.getKey());
            if (expected == null) {
                findings.mismatch("projection_mismatch", audit.user(), "sessions", events.at(actual.lastSequence()),
                        "A row for session " + entry.getKey() + ", which the events do not have");
                continue;
            }
            List<String> differences = new ArrayList<>();
            differ(differences, "queue", actual.queue(), expected.queue());
            differ(differences, "status", actual.status(), expected.status());
            differ(differences, "billedSeconds", actual.billedSeconds(), expected.billedSeconds());
            differ(differences, "chargedAmount", actual.chargedAmount(), expected.chargedAmount());
            differ(differences, "endReason", actual.endReason(), expected.endReason());
            if (!differences.isEmpty()) {
                findings.mismatch("projection_mismatch", audit.user(), "sessions", events.at(actual.lastSequence()),
                        "Session " + entry.getKey() + " (applied up to #" + actual.lastSequence() + ") has "
                                + String.join(", ", differences));
            }
        }
        audit.recordedSessions().forEach((session, recorded) -> {
            SessionRow row = rows.sessions.get(session);
            long applied = row == null ? -1 : row.lastSequence();
            if (applied < recorded.lastSequence()) {
                lags.add(new Lag(audit.user(), "sessions", "session " + session, applied, recorded.lastSequence()));
            }
        });
    }

    private static void differ(List<String> differences, String field, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            differences.add(field + " " + actual + " (events: " + expected + ")");
        }
    }

    /**
     * A projection that has not applied an account's event yet. It is a finding only if the projection had passed
     * every record on the topic when the audit began, and the topic held that event.
     *
     * @param applied the last sequence the row applied (-1: no row)
     * @param needed  the first sequence it should have applied
     */
    record Lag(String user, String projection, String what, long applied, long needed) {
    }

    /** One user's events, by sequence. */
    record Events(List<AuditEvent> list) {

        AuditEvent at(long sequence) {
            for (AuditEvent event : list) {
                if (event.sequence() == sequence) {
                    return event;
                }
            }
            return null;
        }
    }

    private record AccountRow(long balance, long playtime, int activeSessions, long lastSequence) {
    }

    private record SessionRow(String queue, String status, long billedSeconds, long chargedAmount, String endReason,
                              long lastSequence) {
    }

    /** The rows of one user. */
    private static final class UserRows {
        AccountRow account;
        final Map<String, Long> queues = new HashMap<>();
        final Map<String, SessionRow> sessions = new HashMap<>();
        Long statementAt;
        long statementBalance;
        final List<AccountAudit.MoneyLine> lines = new ArrayList<>();
        Long financeAt;
    }
}
