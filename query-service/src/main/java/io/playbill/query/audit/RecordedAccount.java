package io.playbill.query.audit;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.audit.rules.AuditEvent;

import io.playbill.query.readmodel.FinanceBuckets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One account as the ledger's events recorded it (balances, playtime, sessions, statement lines): what the
 * projections must show, also captured at the sequences the projection rows say they have applied. Adds the
 * account's finance figures to the rollups on the way.
 */
final class RecordedAccount {

    private final FinanceBuckets rollups;
    private final Wanted wanted;

    private long balance;
    private long moneyBalance;
    private long movementSum;
    private long playtime;
    private int activeSessions;
    private long lastSequence = -1;
    private final Map<String, Long> queuePlaytime = new TreeMap<>();
    private final Map<String, RecordedSession> sessions = new LinkedHashMap<>();
    private final List<MoneyLine> lines = new ArrayList<>();

    private AccountSnapshot accountSnapshot;
    private Long statementBalance;
    private final Map<String, RecordedSession> sessionSnapshots = new HashMap<>();

    /**
     * @param rollups where to add this account's finance figures, or null
     * @param wanted  the sequences to capture the recorded state at
     */
    RecordedAccount(FinanceBuckets rollups, Wanted wanted) {
        this.rollups = rollups;
        this.wanted = wanted;
    }

    void record(AuditEvent event) {
        Object payload = event.payload();
        long seq = event.sequence();
        if (payload instanceof FundsDeposited e) {
            moneyLine(event, "deposit", e.amount().minorUnits(), e.balanceAfter().minorUnits());
            if (rollups != null) {
                rollups.deposited(e.receivedAtMillis(), e.amount().minorUnits());
            }
        } else if (payload instanceof FundsRefunded e) {
            moneyLine(event, "refund", -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            if (rollups != null) {
                rollups.refunded(e.receivedAtMillis(), e.amount().minorUnits());
            }
        } else if (payload instanceof BalanceAdjusted e) {
            moneyLine(event, "adjustment", e.amount().minorUnits(), e.balanceAfter().minorUnits());
            if (rollups != null) {
                rollups.adjusted(e.receivedAtMillis(), e.amount().minorUnits());
            }
        } else if (payload instanceof PlaytimeCharged e) {
            moneyLine(event, "charge", -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            playtime += e.secondsCharged().value();
            queuePlaytime.merge(e.queue(), e.secondsCharged().value(), Long::sum);
            sessions.computeIfPresent(e.session(), (id, s) -> s.charged(e.billedSeconds().value(),
                    e.amount().minorUnits(), seq));
            if (rollups != null) {
                rollups.charged(e.queue(), e.receivedAtMillis(), e.amount().minorUnits(), e.secondsCharged().value());
            }
        } else if (payload instanceof SessionAuthorized e) {
            activeSessions++;
            sessions.put(e.session(), new RecordedSession(e.queue(), "authorized", 0, 0, null, seq));
        } else if (payload instanceof SessionStarted e) {
            sessions.computeIfPresent(e.session(), (id, s) -> s.withStatus("started", seq));
            if (rollups != null) {
                rollups.sessionStarted(e.queue(), e.receivedAtMillis());
            }
        } else if (payload instanceof SessionRenewed e) {
            balance = e.balanceAfter().minorUnits();
            sessions.computeIfPresent(e.session(), (id, s) -> s.renewed(e.billedSeconds().value(), seq));
        } else if (payload instanceof SessionEnded e) {
            balance = e.balanceAfter().minorUnits();
            activeSessions--;
            sessions.computeIfPresent(e.session(), (id, s) -> s.ended(e.billedSeconds().value(),
                    e.chargedAmount().minorUnits(), e.reason().name().toLowerCase(Locale.ROOT), seq));
        }
        if (!(payload instanceof AuditEvent.UnknownPayload)) {
            // The read models move a user's rows only on the event types they know (a newer ledger's are skipped),
            // so the position they must have reached is the last such event's.
            lastSequence = seq;
        }
        capture(seq);
    }

    private void moneyLine(AuditEvent event, String kind, long amount, long balanceAfter) {
        balance = balanceAfter;
        moneyBalance = balanceAfter;
        movementSum += amount;
        lines.add(new MoneyLine(event.sequence(), event.eventId(), kind, amount, balanceAfter));
    }


    private void capture(long seq) {
        if (seq == wanted.accountAt()) {
            accountSnapshot = new AccountSnapshot(balance, playtime, activeSessions, Map.copyOf(queuePlaytime));
        }
        if (seq == wanted.statementAt()) {
            statementBalance = moneyBalance;
        }
        for (String session : wanted.sessionsAt().getOrDefault(seq, List.of())) {
            sessionSnapshots.put(session, sessions.get(session));
        }
    }

    /** The balance the events recorded last. */
    long balance() {
        return balance;
    }

    /** Σ of the money events' amounts: deposits − refunds ± adjustments − charges. */
    long movementSum() {
        return movementSum;
    }

    long lastSequence() {
        return lastSequence;
    }

    List<MoneyLine> lines() {
        return lines;
    }

    Map<String, RecordedSession> sessions() {
        return sessions;
    }

    AccountSnapshot accountSnapshot() {
        return accountSnapshot;
    }

    Long statementBalance() {
        return statementBalance;
    }

    Map<String, RecordedSession> sessionSnapshots() {
        return sessionSnapshots;
    }

    /**
     * The sequences at which to capture the recorded state: the account row's and statement's applied sequence,
     * and per sequence the sessions whose rows applied up to it.
     */
    record Wanted(long accountAt, long statementAt, Map<Long, List<String>> sessionsAt) {

        static final Wanted NOTHING = new Wanted(-1, -1, Map.of());
    }

    /** The account projection's figures as the events recorded them. */
    record AccountSnapshot(long balance, long playtimeSeconds, int activeSessions, Map<String, Long> queuePlaytime) {
    }

    /** A session's figures as the events recorded them, and the last event that touched it. */
    record RecordedSession(String queue, String status, long billedSeconds, long chargedAmount, String endReason,
                           long lastSequence) {

        RecordedSession withStatus(String newStatus, long seq) {
            return new RecordedSession(queue, newStatus, billedSeconds, chargedAmount, endReason, seq);
        }

        RecordedSession charged(long billed, long amount, long seq) {
            return new RecordedSession(queue, status, billed, chargedAmount + amount, endReason, seq);
        }

        RecordedSession renewed(long billed, long seq) {
            return new RecordedSession(queue, "billing", billed, chargedAmount, endReason, seq);
        }

        RecordedSession ended(long billed, long charged, String reason, long seq) {
            return new RecordedSession(queue, "ended", billed, charged, reason, seq);
        }
    }

    /** A statement line as the events recorded it. */
    record MoneyLine(long sequence, String eventId, String kind, long amount, long balanceAfter) {
    }
}
