package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-derives one account from its events, in sequence order, with the billing rules written again from the spec
 * (not the ledger's code), and reports each way the events differ from them: the balance recomputed from the money
 * events, every charge re-derived from its session's clock, price and mode ({@link SessionBilling},
 * {@link BalanceRules}), a balance never below zero and always covering granted playtime.
 *
 * <p>One command's events are consecutive: a start's charges follow its {@code SessionStarted}, a renew's or stop's
 * charges precede its {@code SessionRenewed} or {@code SessionEnded}, so charges are checked with their command.
 */
public final class RuleReplay {

    private final AccountFindings report;
    private final BalanceRules money;
    private final SessionBilling sessionBilling;
    private final Map<String, SessionAudit> sessions = new HashMap<>();
    /** The started sessions not ended yet: only they can hold granted but unbilled playtime. */
    private final Map<String, SessionAudit> running = new HashMap<>();
    private SessionAudit startGroup;
    private AuditEvent startEvent;
    private final List<PendingCharge> pending = new ArrayList<>();
    private long lastSequence = -1;

    public RuleReplay(String user, PriceHistory prices, Findings findings) {
        this.report = new AccountFindings(findings, user);
        this.money = new BalanceRules(report, prices);
        this.sessionBilling = new SessionBilling(report, money);
    }

    /** Checks the account's next event. */
    public void apply(AuditEvent event) {
        if (event.sequence() != lastSequence + 1) {
            report.invariant("sequence_gap", event, "Events #" + (lastSequence + 1) + " to #"
                    + (event.sequence() - 1) + " of this account are missing from the event store");
        }
        if (event.payload() instanceof AuditEvent.UndecodablePayload undecodable) {
            report.invariant("undecodable_event", event, "The payload is not a readable " + event.typeName() + ": "
                    + undecodable.error());
        }
        check(event);
        lastSequence = event.sequence();
    }

    /** Ends the account: the commands still open are checked. */
    public void finish() {
        closeStartGroup();
        orphans();
    }

    /** The balance the rules give after the events applied so far. */
    public long balance() {
        return money.balance();
    }

    private void check(AuditEvent event) {
        Object payload = event.payload();
        if (payload instanceof AuditEvent.UnknownPayload) {
            // A newer ledger's event (an upgrade under way): its rules are not this build's to check, and it ends
            // no command whose charges wait for their renew or stop.
            return;
        }
        if (payload instanceof PlaytimeCharged charge) {
            SessionAudit session = sessions.get(charge.session());
            // A start's charges bill what it granted; a charge beyond that received at the same instant is a renew's
            // (a game the gateway bills renews as it starts), checked with its SessionRenewed.
            if (session != null && session == startGroup && charge.receivedAtMillis() == session.startedAt
                    && session.billed < session.granted) {
                money.charge(session, event, charge);
            } else {
                closeStartGroup();
                pending.add(new PendingCharge(event, charge));
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
                money.positive(event, e.amount().minorUnits());
                money.move(event, e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof FundsRefunded e) {
                money.positive(event, e.amount().minorUnits());
                money.move(event, -e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof BalanceAdjusted e) {
                if (e.amount().minorUnits() == 0) {
                    report.mismatch("money_mismatch", event, "An adjustment of 0");
                }
                money.move(event, e.amount().minorUnits(), e.balanceAfter().minorUnits());
            } else if (payload instanceof SessionAuthorized e) {
                authorized(event, e);
            } else if (payload instanceof SessionStarted e) {
                started(event, e);
            } else if (payload instanceof AccountOpened && event.sequence() != 0) {
                report.mismatch("account_mismatch", event, "The account was opened again");
            }
        }
        money.covered(event, running.values());
    }

    private void authorized(AuditEvent event, SessionAuthorized e) {
        if (sessions.containsKey(e.session())) {
            report.mismatch("session_mismatch", event, "Session " + e.session() + " was authorized a second time");
        }
        money.priceInForce(event, e.queue(), e.receivedAtMillis(), e.pricePerMinute());
        sessions.put(e.session(), new SessionAudit(e.session(), e.queue()));
    }

    private void started(AuditEvent event, SessionStarted e) {
        SessionAudit session = session(event, e.session());
        if (session != null) {
            sessionBilling.started(event, session, e);
            running.put(session.id, session);
            startGroup = session;
            startEvent = event;
        }
    }

    private void renewed(AuditEvent event, SessionRenewed e) {
        List<PendingCharge> charges = takePending(e.session());
        SessionAudit session = session(event, e.session());
        if (session != null && session.started && !session.ended) {
            sessionBilling.renewed(event, session, e, charges);
            return;
        }
        if (session != null) {
            report.mismatch("session_mismatch", event, "A renew of session " + e.session() + ", which is not running");
        }
        charges.forEach(money::debit);
        money.expect(event, e.balanceAfter().minorUnits());
    }

    private void ended(AuditEvent event, SessionEnded e) {
        List<PendingCharge> charges = takePending(e.session());
        SessionAudit session = session(event, e.session());
        if (session == null) {
            charges.forEach(money::debit);
            money.expect(event, e.balanceAfter().minorUnits());
            return;
        }
        sessionBilling.ended(event, session, e, charges);
        running.remove(session.id);
    }

    private SessionAudit session(AuditEvent event, String id) {
        SessionAudit session = sessions.get(id);
        if (session == null) {
            report.mismatch("session_mismatch", event, "Session " + id + " was never authorized");
        }
        return session;
    }

    private void closeStartGroup() {
        if (startGroup != null) {
            sessionBilling.startCharged(startEvent, startGroup);
            startGroup = null;
            startEvent = null;
        }
    }

    /** The pending charges of {@code session}; any other pending charge is an orphan. */
    private List<PendingCharge> takePending(String session) {
        List<PendingCharge> mine = new ArrayList<>();
        for (PendingCharge charge : pending) {
            if (charge.session().equals(session)) {
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

    private void orphan(PendingCharge charge) {
        report.mismatch("charge_mismatch", charge.event(), "A charge of session " + charge.session()
                + " that no start, renew or stop of that session accounts for");
        money.debit(charge);
    }
}
