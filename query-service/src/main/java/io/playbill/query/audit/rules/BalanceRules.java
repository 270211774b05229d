package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.PlaytimeCharged;

import java.util.Collection;
import java.util.OptionalLong;

/**
 * The money side of the rules: the balance each event must leave, given the events before it; the price in force;
 * what a charge must cost under the cumulative rule; and a balance that always covers the playtime granted.
 */
final class BalanceRules {

    private final AccountFindings report;
    private final PriceHistory prices;
    private long balance;

    BalanceRules(AccountFindings report, PriceHistory prices) {
        this.report = report;
        this.prices = prices;
    }

    /** The balance the rules give after the events so far. */
    long balance() {
        return balance;
    }

    /** Moves the balance by {@code amount}; the event must record the result and never go below zero. */
    void move(AuditEvent event, long amount, long balanceAfter) {
        balance = Math.addExact(balance, amount);
        if (balanceAfter != balance) {
            report.mismatch("balance_mismatch", event, "The balance after this event is recorded as "
                    + balanceAfter + "; the events before it and its amount " + amount + " give " + balance);
            // Later events are judged from what the ledger recorded, so one error is reported once.
            balance = balanceAfter;
        }
        if (balanceAfter < 0) {
            report.invariant("negative_balance", event, "The balance went to " + balanceAfter);
        }
    }

    /** Takes a charge off the balance without judging its cost: no session accounts for it. */
    void debit(PendingCharge charge) {
        move(charge.event(), -charge.charge().amount().minorUnits(), charge.charge().balanceAfter().minorUnits());
    }

    /** An event that moves no money must record the balance as it is. */
    void expect(AuditEvent event, long balanceAfter) {
        if (balanceAfter != balance) {
            report.mismatch("balance_mismatch", event, "The balance is recorded as " + balanceAfter
                    + "; the money events give " + balance);
            balance = balanceAfter;
        }
    }

    void positive(AuditEvent event, long amount) {
        if (amount <= 0) {
            report.mismatch("money_mismatch", event, "A deposit or refund of " + amount);
        }
    }

    void priceInForce(AuditEvent event, String queue, long atMillis, long price) {
        OptionalLong inForce = prices.at(queue, atMillis);
        if (inForce.isEmpty()) {
            report.mismatch("price_mismatch", event, "Queue " + queue + " had no price at " + atMillis);
        } else if (!prices.couldHaveApplied(queue, atMillis, event.timestamp(), price)) {
            report.mismatch("price_mismatch", event, "Priced at " + price + " per minute; the price of "
                    + queue + " in force at " + atMillis + " was " + inForce.getAsLong());
        }
    }

    /** A charge bills the session's next seconds, all granted at its price, at their cumulative cost. */
    void charge(SessionAudit session, AuditEvent event, PlaytimeCharged e) {
        long seconds = e.secondsCharged().value();
        if (!e.queue().equals(session.queue)) {
            report.mismatch("charge_mismatch", event, "Charged on queue " + e.queue() + ", the session"
                    + " is on " + session.queue);
        }
        if (e.billedSeconds().value() != session.billed + seconds || seconds <= 0) {
            report.mismatch("billed_seconds_mismatch", event, "A charge of " + seconds + " s after "
                    + session.billed + " s billed must bring the total to " + (session.billed + seconds)
                    + " s, it records " + e.billedSeconds().value() + " s");
        }
        Long due = session.chargeFor(seconds, e.pricePerMinute());
        if (due == null) {
            report.mismatch("charge_mismatch", event, "Seconds " + session.billed + " to "
                    + (session.billed + seconds) + " were not granted at " + e.pricePerMinute() + " per minute");
        } else if (due != e.amount().minorUnits()) {
            report.mismatch("charge_mismatch", event, "Seconds " + session.billed + " to "
                    + (session.billed + seconds) + " at " + e.pricePerMinute() + " per minute, rounded "
                    + (session.roundsUp() ? "up" : "down") + " cumulatively, cost " + due + ", charged "
                    + e.amount().minorUnits());
        }
        session.billed = e.billedSeconds().value();
        session.charged += e.amount().minorUnits();
        move(event, -e.amount().minorUnits(), e.balanceAfter().minorUnits());
    }

    /** Granted but unbilled playtime must always be paid for by the balance. */
    void covered(AuditEvent event, Collection<SessionAudit> running) {
        long reserved = 0;
        for (SessionAudit session : running) {
            reserved += session.unbilledCost();
        }
        if (reserved > 0 && reserved > balance) {
            report.invariant("grant_not_covered", event, "Granted but unbilled playtime costs " + reserved
                    + ", more than the balance of " + balance);
        }
    }
}
