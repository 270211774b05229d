package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;

import java.util.List;
import java.util.Locale;

import static io.playbill.query.audit.rules.BillingArithmetic.clamp;
import static io.playbill.query.audit.rules.BillingArithmetic.secondsDown;
import static io.playbill.query.audit.rules.BillingArithmetic.secondsUp;

/**
 * What a session's start, renews and stop must grant and bill in each mode (token-spec §4, §5): the session's
 * clock (start, t0, the request's receive time), the billing bounds, and the totals its end records.
 */
final class SessionBilling {

    /** The SDK's free time after the start; over-bill charges it up front (token-spec §4, §5). */
    private static final long FREE_SECONDS = 30;

    private final AccountFindings report;
    private final BalanceRules money;

    SessionBilling(AccountFindings report, BalanceRules money) {
        this.report = report;
        this.money = money;
    }

    void started(AuditEvent event, SessionAudit session, SessionStarted e) {
        if (session.started || session.ended) {
            report.mismatch("session_mismatch", event, "Session " + e.session() + " started twice or after its end");
        }
        money.priceInForce(event, session.queue, e.receivedAtMillis(), e.pricePerMinute());
        session.started = true;
        session.mode = e.billingMode();
        session.cycleSeconds = e.cycleSeconds().value();
        session.startedAt = e.receivedAtMillis();
        long granted = e.grantedSeconds().value();
        if (session.mode == BillingMode.UNDER && granted != 0) {
            report.mismatch("grant_mismatch", event, "Under-bill grants nothing at the start, not " + granted + " s");
        }
        if (session.mode == BillingMode.OVER && granted > FREE_SECONDS) {
            report.invariant("billing_bound_exceeded", event, "Over-bill grants at most the SDK's free "
                    + FREE_SECONDS + " s at the start, not " + granted + " s");
        }
        session.grant(granted, e.pricePerMinute());
    }

    /** Over-bill charges the playtime granted at the start with the start. */
    void startCharged(AuditEvent start, SessionAudit session) {
        if (session.mode == BillingMode.OVER && session.billed != session.granted) {
            report.mismatch("billed_seconds_mismatch", start, "Over-bill charges the " + session.granted
                    + " s granted at the start; billed " + session.billed + " s");
        }
    }

    /** A renew of a running session, with the charges it made. */
    void renewed(AuditEvent event, SessionAudit session, SessionRenewed e, List<PendingCharge> charges) {
        long now = e.receivedAtMillis();
        if (session.firstRenewAt == null) {
            if (e.firstRenewAtMillis() != now) {
                report.mismatch("renew_mismatch", event, "The first renew sets t0 to its own receive time " + now
                        + ", not " + e.firstRenewAtMillis());
            }
            session.firstRenewAt = e.firstRenewAtMillis();
        } else if (e.firstRenewAtMillis() != session.firstRenewAt) {
            report.mismatch("renew_mismatch", event, "t0 changed from " + session.firstRenewAt + " to "
                    + e.firstRenewAtMillis());
        }
        money.priceInForce(event, session.queue, now, e.pricePerMinute());
        long t0 = session.firstRenewAt;
        long grantedBefore = session.granted;
        long granted = e.grantedSeconds().value();
        if (session.mode == BillingMode.UNDER) {
            long played = secondsDown(t0, now);
            long due = dueUnder(session, played, now, grantedBefore);
            charges.forEach(charge -> money.charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, due, "A renew " + played + " s after t0 bills up to " + due + " s");
            boundUnder(event, session, secondsDown(t0, session.heard(now)));
            grant(event, session, granted, e.pricePerMinute());
            if (granted > Math.max(grantedBefore, session.billed + session.cycleSeconds)) {
                report.mismatch("renew_mismatch", event, "Granted up to " + granted
                        + " s, more than one cycle past the " + session.billed + " s billed");
            }
            if (e.deadline().value() != granted) {
                report.mismatch("renew_mismatch", event, "Under-bill's deadline is the granted " + granted
                        + " s, not " + e.deadline().value());
            }
        } else {
            long sinceStart = secondsUp(session.startedAt, now);
            grant(event, session, granted, e.pricePerMinute());
            if (granted > Math.max(grantedBefore, sinceStart + session.cycleSeconds)) {
                report.invariant("billing_bound_exceeded", event, "Over-bill charged up to " + granted
                        + " s, more than one cycle past the " + sinceStart + " s since start");
            }
            charges.forEach(charge -> money.charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, session.granted, "Over-bill charges all " + session.granted + " s granted");
            long deadline = Math.max(0, Math.floorDiv(session.startedAt + session.granted * 1000 - t0, 1000));
            if (e.deadline().value() != deadline) {
                report.mismatch("renew_mismatch", event, "The end of the charged time is " + deadline
                        + " s after t0, the deadline given was " + e.deadline().value());
            }
        }
        if (e.billedSeconds().value() != session.billed) {
            report.mismatch("billed_seconds_mismatch", event, "The renew records " + e.billedSeconds().value()
                    + " s billed, its charges add up to " + session.billed + " s");
        }
        money.expect(event, e.balanceAfter().minorUnits());
        session.deadline = e.deadline().value();
    }

    /**
     * What under-bill bills a request received at {@code atMillis}: the played seconds, never less than billed nor
     * more than granted; nothing more if a renew received no later than it was decided first (it billed that time).
     */
    private static long dueUnder(SessionAudit session, long played, long atMillis, long granted) {
        if (session.latestRequestAt != null && atMillis <= session.latestRequestAt) {
            return session.billed;
        }
        return clamp(played, session.billed, granted);
    }

    /** The end of a known session, with the charges it made. */
    void ended(AuditEvent event, SessionAudit session, SessionEnded e, List<PendingCharge> charges) {
        if (session.ended) {
            report.mismatch("session_mismatch", event, "Session " + e.session() + " ended twice");
        }
        boolean billsOnStop = e.reason() == SessionEndReason.STOPPED && session.started
                && session.mode == BillingMode.UNDER && session.firstRenewAt != null;
        if (billsOnStop) {
            long played = secondsDown(session.firstRenewAt, e.endedAtMillis());
            long due = dueUnder(session, played, e.endedAtMillis(), session.granted);
            charges.forEach(charge -> money.charge(session, charge.event(), charge.charge()));
            expectBilled(event, session, due, "A stop " + played + " s after t0 bills up to " + due + " s");
            boundUnder(event, session, secondsDown(session.firstRenewAt, session.heard(e.endedAtMillis())));
        } else {
            if (!charges.isEmpty()) {
                report.mismatch("charge_mismatch", charges.get(0).event(), "A session that ends as "
                        + e.reason().name().toLowerCase(Locale.ROOT) + " in " + session.mode + " billing is charged"
                        + " nothing when it ends");
            }
            charges.forEach(charge -> money.charge(session, charge.event(), charge.charge()));
        }
        if (e.billedSeconds().value() != session.billed || e.chargedAmount().minorUnits() != session.charged
                || e.deadline().value() != session.deadline) {
            report.mismatch("session_total_mismatch", event, "The end records " + e.billedSeconds().value()
                    + " s billed, " + e.chargedAmount().minorUnits() + " charged, deadline " + e.deadline().value()
                    + "; the session's events give " + session.billed + " s, " + session.charged + ", deadline "
                    + session.deadline);
        }
        money.expect(event, e.balanceAfter().minorUnits());
        session.ended = true;
    }

    private void grant(AuditEvent event, SessionAudit session, long until, long price) {
        if (!session.grant(until, price)) {
            report.mismatch("renew_mismatch", event, "The granted playtime went back from " + session.granted
                    + " s to " + until + " s");
        }
    }

    private void expectBilled(AuditEvent event, SessionAudit session, long due, String rule) {
        if (session.billed != due) {
            report.mismatch("billed_seconds_mismatch", event, rule + "; the session is billed up to "
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
            report.invariant("billing_bound_exceeded", event, "Under-bill billed " + session.billed
                    + " s after only " + played + " s since t0");
        }
    }
}
