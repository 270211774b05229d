package io.playbill.query.audit;

import io.playbill.query.audit.rules.AuditEvent;
import io.playbill.query.audit.rules.Findings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares each account's projection rows with what its events recorded at the sequence each row says it has
 * applied. A row behind the events is not a mismatch by itself (projections lag); it is remembered as a {@link Lag}
 * and judged once the topic has been read.
 */
final class ProjectionCheck {

    private final Findings findings;
    private final Map<String, AuditReport.ProjectionCoverage> coverage;
    private final List<Lag> lags = new ArrayList<>();

    /** @param coverage per projection: had it passed the whole topic when the audit began */
    ProjectionCheck(Findings findings, Map<String, AuditReport.ProjectionCoverage> coverage) {
        this.findings = findings;
        this.coverage = coverage;
    }

    /** Compares one account's rows with the replayed account; rows beyond the replayed events are not judged. */
    void compare(String user, ProjectionRows.UserRows rows, RecordedAccount recorded, List<AuditEvent> events) {
        Events byEvent = new Events(events);
        long last = recorded.lastSequence();
        compareAccount(user, rows, recorded, byEvent);
        compareStatement(user, rows, recorded, byEvent);
        compareSessions(user, rows, recorded, byEvent);
        long accountAt = rows.account == null ? -1 : rows.account.lastSequence();
        long statementAt = rows.statementAt == null ? -1 : rows.statementAt;
        long financeAt = rows.financeAt == null ? -1 : rows.financeAt;
        if (accountAt < last) {
            lag(new Lag(user, "accounts", "account row", accountAt, accountAt + 1));
        }
        if (statementAt < last) {
            lag(new Lag(user, "statement", "statement", statementAt, statementAt + 1));
        }
        if (financeAt < last) {
            lag(new Lag(user, "finance", "finance position", financeAt, financeAt + 1));
        }
    }

    /** A projection that had passed the whole topic must have applied every event the topic held. */
    void judgeLags(Map<String, Trail> published) {
        for (Lag lag : lags) {
            Trail trail = published.get(lag.user());
            if (trail != null && lag.needed() <= trail.maxSequence()) {
                findings.mismatch("projection_behind", lag.user(), lag.projection(), null, "The " + lag.what()
                        + " has applied events up to #" + lag.applied() + ", but the projection had passed event #"
                        + lag.needed() + " on the topic");
            }
        }
    }

    private void lag(Lag lag) {
        if (coverage.get(lag.projection()).caughtUp()) {
            lags.add(lag);
        }
    }

    private void compareAccount(String user, ProjectionRows.UserRows rows, RecordedAccount recorded, Events events) {
        if (rows.account == null || rows.account.lastSequence() > recorded.lastSequence()) {
            return;
        }
        RecordedAccount.AccountSnapshot expected = recorded.accountSnapshot();
        ProjectionRows.AccountRow actual = rows.account;
        if (expected == null) {
            // The store lacks the event the row was last applied at (its gap is a finding of its own).
            findings.mismatch("projection_mismatch", user, "accounts", events.at(actual.lastSequence()),
                    "The account row is applied up to #" + actual.lastSequence() + ", an event the store does not have");
            return;
        }
        List<String> differences = new ArrayList<>();
        differ(differences, "balance", actual.balance(), expected.balance());
        differ(differences, "playtimeSeconds", actual.playtime(), expected.playtimeSeconds());
        differ(differences, "activeSessions", actual.activeSessions(), expected.activeSessions());
        if (!new TreeMap<>(rows.queues).equals(new TreeMap<>(expected.queuePlaytime()))) {
            differences.add("playtime by queue " + new TreeMap<>(rows.queues) + " (events: "
                    + new TreeMap<>(expected.queuePlaytime()) + ")");
        }
        if (!differences.isEmpty()) {
            findings.mismatch("projection_mismatch", user, "accounts", events.at(actual.lastSequence()),
                    "The account row (applied up to #" + actual.lastSequence() + ") has " + String.join(", ",
                            differences));
        }
    }

    private void compareStatement(String user, ProjectionRows.UserRows rows, RecordedAccount recorded,
                                  Events events) {
        if (rows.statementAt == null || rows.statementAt > recorded.lastSequence()) {
            return;
        }
        long at = rows.statementAt;
        List<RecordedAccount.MoneyLine> expected = recorded.lines().stream().filter(line -> line.sequence() <= at)
                .toList();
        List<RecordedAccount.MoneyLine> actual = rows.lines;
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            RecordedAccount.MoneyLine want = i < expected.size() ? expected.get(i) : null;
            RecordedAccount.MoneyLine have = i < actual.size() ? actual.get(i) : null;
            if (want == null || !want.equals(have)) {
                long sequence = want != null ? want.sequence() : have.sequence();
                findings.mismatch("projection_mismatch", user, "statement", events.at(sequence),
                        "Statement line " + (have == null ? "missing" : have) + "; the events give "
                                + (want == null ? "no line" : want));
                return;
            }
        }
        long balance = recorded.statementBalance() == null ? 0 : recorded.statementBalance();
        if (rows.statementBalance != balance) {
            findings.mismatch("projection_mismatch", user, "statement", events.at(at), "The statement's"
                    + " running balance is " + rows.statementBalance + "; the events give " + balance);
        }
    }

    private void compareSessions(String user, ProjectionRows.UserRows rows, RecordedAccount recorded,
                                 Events events) {
        for (Map.Entry<String, ProjectionRows.SessionRow> entry : rows.sessions.entrySet()) {
            ProjectionRows.SessionRow actual = entry.getValue();
            if (actual.lastSequence() > recorded.lastSequence()) {
                continue;
            }
            RecordedAccount.RecordedSession expected = recorded.sessionSnapshots().get(entry.getKey());
            if (expected == null) {
                findings.mismatch("projection_mismatch", user, "sessions", events.at(actual.lastSequence()),
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
                findings.mismatch("projection_mismatch", user, "sessions", events.at(actual.lastSequence()),
                        "Session " + entry.getKey() + " (applied up to #" + actual.lastSequence() + ") has "
                                + String.join(", ", differences));
            }
        }
        recorded.sessions().forEach((session, expected) -> {
            ProjectionRows.SessionRow row = rows.sessions.get(session);
            long applied = row == null ? -1 : row.lastSequence();
            if (applied < expected.lastSequence()) {
                lag(new Lag(user, "sessions", "session " + session, applied, expected.lastSequence()));
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
    private record Lag(String user, String projection, String what, long applied, long needed) {
    }

    /** One user's events, by sequence. */
    private record Events(List<AuditEvent> list) {

        AuditEvent at(long sequence) {
            for (AuditEvent event : list) {
                if (event.sequence() == sequence) {
                    return event;
                }
            }
            return null;
        }
    }
}
