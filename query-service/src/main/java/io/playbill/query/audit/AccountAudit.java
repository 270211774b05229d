package io.playbill.query.audit;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.readmodel.FinanceBuckets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static io.playbill.query.audit.BillingArithmetic.clamp;
import static io.playbill.query.audit.BillingArithmetic.secondsDown;
import static io.playbill.query.audit.BillingArithmetic.secondsUp;

/**
 * Replays one account's events from the event store, in sequence order, and checks them twice:
 * <ul>
 *   <li>against the rules: the balance recomputed from the money events, every charge re-derived from the
 *   session's clock (start, t0, the request's receive time), the price in force and the mode's rounding with the
 *   cumulative rule, the billing bounds, a balance never below zero and always covering granted playtime;</li>
 *   <li>as the projections must show it: what the events recorded (balances, playtime, sessions, statement lines)
 *   at the sequence each projection row says it has applied.</li>
 * </ul>
 * One command's events are consecutive: a start's charges follow its {@code SessionStarted}, a renew's or stop's
 * charges precede its {@code SessionRenewed} or {@code SessionEnded}, so charges are checked with their command.
 */
final class AccountAudit {

    /** The SDK's free time after the start; over-bill charges it up front (token-spec §4, §5). */
    private static final long FREE_SECONDS = 30;

    private final String user;
    private final PriceHistory prices;
    private final Findings findings;
    private final FinanceBuckets rollups;
    private final Wanted wanted;

    // What the events recorded: the projections must show exactly this.
    private long recordedBalance;
    private long moneyBalance;
    private long playtime;
    private int activeSessions;
    private final Map<String, Long> queuePlaytime = new TreeMap<>();
    private final Map<String, RecordedSession> recordedSessions = new LinkedHashMap<>();
    private final List<MoneyLine> lines = new ArrayList<>();

    // What the rules give.
    private long balance;
    private long movementSum;
    private final Map<String, SessionAudit> sessions = new HashMap<>();
    /** The started sessions not ended yet: only they can hold granted but unbilled playtime. */
    private final Map<String, SessionAudit> running = new HashMap<>();
    private SessionAudit startGroup;
    private AuditEvent startEvent;
    private final List<Charge> pending = new ArrayList<>();
    private long lastSequence = -1;
    private AuditEvent lastEvent;

    // The recorded state at the sequences the projections have applied.
    private AccountSnapshot accountSnapshot;
    private Long statementBalance;
    private final Map<String, RecordedSession> sessionSnapshots = new HashMap<>();

    /**
     * @param rollups where to add this account's finance figures, or null
     * @param wanted  the sequences to capture the recorded state at
     */
    AccountAudit(String user, PriceHistory prices, Findings findings, FinanceBuckets rollups, Wanted wanted) {
        this.user = user;
        this.prices = prices;
        this.findings = findings;
        this.rollups = rollups;
        this.wanted = wanted;
    }

    void apply(AuditEvent event) {
        if (event.sequence() != lastSequence + 1) {
            findings.invariant("sequence_gap", user, event, "Events #" + (lastSequence + 1) + " to #"
                    + (event.sequence() - 1) + " of this account are missing from the event store");
        }
        if (event.payload() instanceof AuditEvent.UndecodablePayload undecodable) {
            findings.invariant("undecodable_event", user, event, "The payload is not a readable "
                    + event.typeName() + ": " + undecodable.error());
        }
        record(event);
        verify(event);
        lastSequence = event.sequence();
        lastEvent = event;
        capture(event.sequence());
    }

    /** Ends the account: open commands are checked and Σ of the money events is compared with the balance. */
    void finish() {
        closeStartGroup();
        orphans();
        if (lastEvent != null && movementSum != recordedBalance) {
            findings.invariant("sum_identity_broken", user, lastEvent,
                    "Deposits − refunds ± adjustments − charges = " + movementSum
                            + ", but the account's balance is " + recordedBalance);
        }
    }

    // ---- what the events recorded ---------------------------------------------------------------------------------

    private void record(AuditEvent event) {
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
            RecordedSession session = recordedSessions.get(e.session());
            if (session != null) {
                recordedSessions.put(e.session(), session.charged(e.billedSeconds().value(), e.amount().minorUnits(), seq));
            }
            if (rollups != null) {
                rollups.charged(e.queue(), e.receivedAtMillis(), e.amount().minorUnits(), e.secondsCharged().value());
            }
        } else if (payload instanceof SessionAuthorized e) {
            activeSessions++;
            recordedSessions.put(e.session(), new RecordedSession(e.queue(), "authorized", 0, 0, null, seq));
        } else if (payload instanceof SessionStarted e) {
            recordedSessions.computeIfPresent(e.session(), (id, s) -> s.withStatus("started", seq));
            if (rollups != null) {
                rollups.sessionStarted(e.queue(), e.receivedAtMillis());
            }
        } else if (payload instanceof SessionRenewed e) {
            recordedBalance = e.balanceAfter().minorUnits();
            recordedSessions.computeIfPresent(e.session(), (id, s) -> s.renewed(e.billedSeconds().value(), seq));
        } else if (payload instanceof SessionEnded e) {
            recordedBalance = e.balanceAfter().minorUnits();
            activeSessions--;
            recordedSessions.computeIfPresent(e.session(), (id, s) -> s.ended(e.billedSeconds().value(), e.chargedAmount().minorUnits(),
                    e.reason().name().toLowerCase(Locale.ROOT), seq));
        }
    }

    private void moneyLine(AuditEvent event, String kind, long amount, long balanceAfter) {
        recordedBalance = balanceAfter;
        moneyBalance = balanceAfter;
        movementSum += amount;
        lines.add(new MoneyLine(event.sequence(), event.eventId(), kind, amount, balanceAfter));
    }

    private void capture(long seq) {
        if (seq == wanted.accountAt()) {
            accountSnapshot = new AccountSnapshot(recordedBalance, playtime, activeSessions, Map.copyOf(queuePlaytime));
        }
        if (seq == wanted.statementAt()) {
            statementBalance = moneyBalance;
        }
        for (String session : wanted.sessionsAt().getOrDefault(seq, List.of())) {
            sessionSnapshots.put(session, recordedSessions.get(session));
        }
    }

    // ---- what the rules give ------------------------------------------------------------------------------------

    private void verify(AuditEvent event) {
        Object payload = event.payload();
        if (payload instanceof PlaytimeCharged charge) {
            SessionAudit session = sessions.get(charge.session());
            if (session != null && session == startGroup && charge.receivedAtMillis() == session.startedAt) {
                charge(session, event, charge);
            } else {
                closeStartGroup();
                pending.add(new Charge(event, charge));
            }
            return;
        }
        closeStartGroup();
        if (payload instanceof SessionRenewed renewed) {
            renewed(event, renewed);
        } else if (payload instanceof SessionEnded ended) {
            ended(event, ended);
        } else {
            orphans();
            if (payload instanceof FundsDeposited e) {
                positive(event, e.amount().minorUnits());
                money(event, e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof FundsRefunded e) {
                positive(event, e.amount().minorUnits());
                money(event, -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof BalanceAdjusted e) {
                if (e.amount().minorUnits() == 0) {
                    findings.mismatch("money_mismatch", user, null, event, "An adjustment of 0");
                }
                money(event, e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof SessionAuthorized e) {
                authorized(event, e);
            } else if (payload instanceof SessionStarted e) {
                started(event, e);
            } else if (payload instanceof AccountOpened && event.sequence() != 0) {
                findings.mismatch("account_mismatch", user, null, event, "The account was opened again");
            }
        }
        covered(event);
    }

    private void authorized(AuditEvent event, SessionAuthorized e) {
        if (sessions.containsKey(e.session())) {
            findings.mismatch("session_mismatch", user, null, event, "Session " + e.session()
                    + " was authorized a second time");
        }
        priceInForce(event, e.queue(), e.receivedAtMillis(), e.pricePerMinute());
        sessions.put(e.session(), new SessionAudit(e.session(), e.queue()));
    }

    private void started(AuditEvent event, SessionStarted e) {
        SessionAudit session = session(event, e.session());
        if (session == null) {
            return;
        }
        if (session.started || session.ended) {
            findings.mismatch("session_mismatch", user, null, event, "Session " + e.session()
                    + " started twice or after its end");
        }
        priceInForce(event, session.queue, e.receivedAtMillis(), e.pricePerMinute());
        session.started = true;
        session.mode = e.billingMode();
        session.cycleSeconds = e.cycleSeconds().value();
        session.startedAt = e.receivedAtMillis();
        if (session.mode == BillingMode.UNDER && e.grantedSeconds().value() != 0) {
            findings.mismatch("grant_mismatch", user, null, event, "Under-bill grants nothing at the start, not "
                    + e.grantedSeconds().value() + " s");
        }
        if (session.mode == BillingMode.OVER && e.grantedSeconds().value() > FREE_SECONDS) {
            findings.invariant("billing_bound_exceeded", user, event, "Over-bill grants at most the SDK's free "
                    + FREE_SECONDS + " s at the start, not " + e.grantedSeconds().value() + " s");
        }
        session.grant(e.grantedSeconds().value(), e.pricePerMinute());
        running.put(session.id, session);
        startGroup = session;
        startEvent = event;
    }

    private void renewed(AuditEvent event, SessionRenewed e) {
        List<Charge> charges = takePending(e.session());
        SessionAudit session = session(event, e.session());
        if (session == null || !session.started || session.ended) {
            if (session != null) {
                findings.mismatch("session_mismatch", user, null, event, "A renew of session " + e.session()
                        + ", which is not running");
            }
            charges.forEach(charge -> money(charge.event(), -charge.charge().amount().minorUnits(),
                    charge.charge().balanceAfter().minorUnits()));
            checkBalance(event, e.balanceAfter().minorUnits());
            return;
        }
        long now = e.receivedAtMillis();
        if (session.firstRenewAt == null) {
            if (e.firstRenewAtMillis() != now) {
                findings.mismatch("renew_mismatch", user, null, event, "The first renew sets t0 to its own receive"
                        + " time " + now + ", not " + e.firstRenewAtMillis());
            }
            session.firstRenewAt = e.firstRenewAtMillis();
        } else if (e.firstRenewAtMillis() != session.firstRenewAt) {
            findings.mismatch("renew_mismatch", user, null, event, "t0 changed from " + session.firstRenewAt
                    + " to " + e.firstRenewAtMillis());
        }
        priceInForce(event, session.queue, now, e.pricePerMinute());
        long t0 = session.firstRenewAt;
        long billedBefore = session.billed;
        long grantedBefore = session.granted;
        if (session.mode == BillingMode.UNDER) {
            long played = secondsDown(t0, now);
            long due = clamp(played, billedBefore, grantedBefore);
            charges.forEach(charge -> charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, due, "A renew " + played + " s after t0 bills up to " + due + " s");
            boundUnder(event, session, secondsDown(t0, session.heard(now)));
            grant(event, session, e.grantedSeconds().value(), e.pricePerMinute());
            if (e.grantedSeconds().value() > Math.max(grantedBefore, session.billed + session.cycleSeconds)) {
                findings.mismatch("renew_mismatch", user, null, event, "Granted up to " + e.grantedSeconds().value()
                        + " s, more than one cycle past the " + session.billed + " s billed");
            }
            if (e.deadline().value() != e.grantedSeconds().value()) {
                findings.mismatch("renew_mismatch", user, null, event, "Under-bill's deadline is the granted "
                        + e.grantedSeconds().value() + " s, not " + e.deadline().value());
            }
        } else {
            long sinceStart = secondsUp(session.startedAt, now);
            grant(event, session, e.grantedSeconds().value(), e.pricePerMinute());
            if (e.grantedSeconds().value() > Math.max(grantedBefore, sinceStart + session.cycleSeconds)) {
                findings.invariant("billing_bound_exceeded", user, event, "Over-bill charged up to "
                        + e.grantedSeconds().value() + " s, more than one cycle past the " + sinceStart + " s since start");
            }
            charges.forEach(charge -> charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, session.granted, "Over-bill charges all " + session.granted
                    + " s granted");
            long deadline = Math.max(0, Math.floorDiv(session.startedAt + session.granted * 1000 - t0, 1000));
            if (e.deadline().value() != deadline) {
                findings.mismatch("renew_mismatch", user, null, event, "The end of the charged time is "
                        + deadline + " s after t0, the deadline given was " + e.deadline().value());
            }
        }
        if (e.billedSeconds().value() != session.billed) {
            findings.mismatch("billed_seconds_mismatch", user, null, event, "The renew records " + e.billedSeconds().value()
                    + " s billed, its charges add up to " + session.billed + " s");
        }
        checkBalance(event, e.balanceAfter().minorUnits());
        session.deadline = e.deadline().value();
    }

    private void ended(AuditEvent event, SessionEnded e) {
        List<Charge> charges = takePending(e.session());
        SessionAudit session = session(event, e.session());
        if (session == null) {
            charges.forEach(charge -> money(charge.event(), -charge.charge().amount().minorUnits(),
                    charge.charge().balanceAfter().minorUnits()));
            checkBalance(event, e.balanceAfter().minorUnits());
            return;
        }
        if (session.ended) {
            findings.mismatch("session_mismatch", user, null, event, "Session " + e.session() + " ended twice");
        }
        long billedBefore = session.billed;
        boolean billsOnStop = e.reason() == SessionEndReason.STOPPED && session.started
                && session.mode == BillingMode.UNDER && session.firstRenewAt != null;
        if (billsOnStop) {
            long played = secondsDown(session.firstRenewAt, e.endedAtMillis());
            long due = clamp(played, billedBefore, session.granted);
            charges.forEach(charge -> charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, due, "A stop " + played + " s after t0 bills up to " + due + " s");
            boundUnder(event, session, secondsDown(session.firstRenewAt, session.heard(e.endedAtMillis())));
        } else {
            if (!charges.isEmpty()) {
                findings.mismatch("charge_mismatch", user, null, charges.get(0).event(), "A session that ends as "
                        + e.reason().name().toLowerCase(Locale.ROOT) + " in " + session.mode + " billing is charged"
                        + " nothing when it ends");
            }
            charges.forEach(charge -> charge(session, charge.event(), charge.charge()));
        }
        if (e.billedSeconds().value() != session.billed || e.chargedAmount().minorUnits() != session.charged
                || e.deadline().value() != session.deadline) {
            findings.mismatch("session_total_mismatch", user, null, event, "The end records " + e.billedSeconds().value()
                    + " s billed, " + e.chargedAmount().minorUnits() + " charged, deadline " + e.deadline().value()
                    + "; the session's events give " + session.billed + " s, " + session.charged + ", deadline "
                    + session.deadline);
        }
        checkBalance(event, e.balanceAfter().minorUnits());
        session.ended = true;
        running.remove(session.id);
    }

    private void charge(SessionAudit session, AuditEvent event, PlaytimeCharged e) {
        if (!e.queue().equals(session.queue)) {
            findings.mismatch("charge_mismatch", user, null, event, "Charged on queue " + e.queue() + ", the session"
                    + " is on " + session.queue);
        }
        if (e.billedSeconds().value() != session.billed + e.secondsCharged().value() || e.secondsCharged().value() <= 0) {
            findings.mismatch("billed_seconds_mismatch", user, null, event, "A charge of " + e.secondsCharged().value()
                    + " s after " + session.billed + " s billed must bring the total to "
                    + (session.billed + e.secondsCharged().value()) + " s, it records " + e.billedSeconds().value() + " s");
        }
        Long due = session.chargeFor(e.secondsCharged().value(), e.pricePerMinute());
        if (due == null) {
            findings.mismatch("charge_mismatch", user, null, event, "Seconds " + session.billed + " to "
                    + (session.billed + e.secondsCharged().value()) + " were not granted at " + e.pricePerMinute()
                    + " per minute");
        } else if (due != e.amount().minorUnits()) {
            findings.mismatch("charge_mismatch", user, null, event, "Seconds " + session.billed + " to "
                    + (session.billed + e.secondsCharged().value()) + " at " + e.pricePerMinute() + " per minute, rounded "
                    + (session.roundsUp() ? "up" : "down") + " cumulatively, cost " + due + ", charged " + e.amount().minorUnits());
        }
        session.billed = e.billedSeconds().value();
        session.charged += e.amount().minorUnits();
        money(event, -e.amount().minorUnits(), e.balanceAfter().minorUnits());
    }

    private void money(AuditEvent event, long amount, long balanceAfter) {
        balance = Math.addExact(balance, amount);
        if (balanceAfter != balance) {
            findings.mismatch("balance_mismatch", user, null, event, "The balance after this event is recorded as "
                    + balanceAfter + "; the events before it and its amount " + amount + " give " + balance);
            balance = balanceAfter;
        }
        if (balanceAfter < 0) {
            findings.invariant("negative_balance", user, event, "The balance went to " + balanceAfter);
        }
    }

    private void checkBalance(AuditEvent event, long balanceAfter) {
        if (balanceAfter != balance) {
            findings.mismatch("balance_mismatch", user, null, event, "The balance is recorded as " + balanceAfter
                    + "; the money events give " + balance);
            balance = balanceAfter;
        }
    }

    private void positive(AuditEvent event, long amount) {
        if (amount <= 0) {
            findings.mismatch("money_mismatch", user, null, event, "A deposit or refund of " + amount);
        }
    }

    private void grant(AuditEvent event, SessionAudit session, long until, long price) {
        if (!session.grant(until, price)) {
            findings.mismatch("renew_mismatch", user, null, event, "The granted playtime went back from "
                    + session.granted + " s to " + until + " s");
        }
    }

    private void expectBilled(AuditEvent event, SessionAudit session, long due, String rule) {
        if (session.billed != due) {
            findings.mismatch("billed_seconds_mismatch", user, null, event, rule + "; the session is billed up to "
                    + session.billed + " s");
        }
    }

    /**
     * Under-bill never charges more than was played since t0, as far as the session's requests saw: {@code played}
     * counts to the latest receive time of its renews and stop (token-spec §5; billing.md, a renew received earlier
     * than one already decided bills nothing).
     */
    private void boundUnder(AuditEvent event, SessionAudit session, long played) {
        if (session.billed > Math.max(0, played)) {
            findings.invariant("billing_bound_exceeded", user, event, "Under-bill billed " + session.billed
                    + " s after only " + played + " s since t0");
        }
    }

    private void priceInForce(AuditEvent event, String queue, long atMillis, long price) {
        OptionalLong inForce = prices.at(queue, atMillis);
        if (inForce.isEmpty()) {
            findings.mismatch("price_mismatch", user, null, event, "Queue " + queue + " had no price at " + atMillis);
        } else if (inForce.getAsLong() != price) {
            findings.mismatch("price_mismatch", user, null, event, "Priced at " + price + " per minute; the price of "
                    + queue + " in force at " + atMillis + " was " + inForce.getAsLong());
        }
    }

    /** Granted but unbilled playtime must always be paid for by the balance. */
    private void covered(AuditEvent event) {
        long reserved = 0;
        for (SessionAudit session : running.values()) {
            reserved += session.unbilledCost();
        }
        if (reserved > 0 && reserved > balance) {
            findings.invariant("grant_not_covered", user, event, "Granted but unbilled playtime costs " + reserved
                    + ", more than the balance of " + balance);
        }
    }

    private SessionAudit session(AuditEvent event, String id) {
        SessionAudit session = sessions.get(id);
        if (session == null) {
            findings.mismatch("session_mismatch", user, null, event, "Session " + id + " was never authorized");
        }
        return session;
    }

    private void closeStartGroup() {
        if (startGroup != null) {
            if (startGroup.mode == BillingMode.OVER && startGroup.billed != startGroup.granted) {
                findings.mismatch("billed_seconds_mismatch", user, null, startEvent, "Over-bill charges the "
                        + startGroup.granted + " s granted at the start; billed " + startGroup.billed + " s");
            }
            startGroup = null;
            startEvent = null;
        }
    }

    private List<Charge> takePending(String session) {
        List<Charge> mine = new ArrayList<>();
        for (Charge charge : pending) {
            if (charge.charge().session().equals(session)) {
                mine.add(charge);
            } else {
                orphan(charge);
            }
        }
        pending.clear();
        return mine;
    }

    private void orphans() {
        pending.forEach(this::orphan);
        pending.clear();
    }

    private void orphan(Charge charge) {
        findings.mismatch("charge_mismatch", user, null, charge.event(), "A charge of session "
                + charge.charge().session() + " that no start, renew or stop of that session accounts for");
        money(charge.event(), -charge.charge().amount().minorUnits(), charge.charge().balanceAfter().minorUnits());
    }

    // ---- results ------------------------------------------------------------------------------------------------

    String user() {
        return user;
    }

    long lastSequence() {
        return lastSequence;
    }

    /** The balance the rules give after the events applied so far. */
    long balance() {
        return balance;
    }

    /** The balance the events recorded last. */
    long recordedBalance() {
        return recordedBalance;
    }

    List<MoneyLine> lines() {
        return lines;
    }

    Map<String, RecordedSession> recordedSessions() {
        return recordedSessions;
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

    private record Charge(AuditEvent event, PlaytimeCharged charge) {
    }
}
