package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.domain.billing.Billing;
import io.playbill.ledger.domain.billing.Meter;
import io.playbill.ledger.domain.billing.SessionClock;

/**
 * One game session inside a user's account, as its events left it. Immutable: each event yields a new value.
 *
 * @param billingMode        fixed at start; {@code null} while authorized
 * @param startedAtMillis    the startToken's receive time; {@code null} while authorized
 * @param firstRenewAtMillis t0; {@code null} until the first renew
 * @param lastRenewAtMillis  the receive time of the latest renew recorded; {@code null} until the first renew
 * @param chargedAmount      what the session cost so far, in total
 * @param deadline           the last deadline answered (seconds from t0)
 * @param expiresAtMillis    when the session times out unless a request moves it on
 * @param endReason          {@code null} until ended
 * @param balanceLimited     the last renew's deadline is all the balance pays for: the session ends at it
 */
record Session(String id, String queue, SessionStatus status, BillingMode billingMode, long cycleSeconds,
               Long startedAtMillis, Long firstRenewAtMillis, Long lastRenewAtMillis, Meter meter, long chargedAmount,
               long deadline, long expiresAtMillis, SessionEndReason endReason, boolean balanceLimited) {

    static Session authorized(SessionAuthorized event) {
        return new Session(event.session(), event.queue(), SessionStatus.AUTHORIZED, null, 0, null, null, null,
                Meter.NOTHING_GRANTED, 0, 0, event.expiresAtMillis(), null, false);
    }

    Session started(SessionStarted event) {
        return new Session(id, queue, SessionStatus.STARTED, event.billingMode(), event.cycleSeconds().value(),
                event.receivedAtMillis(), null, null,
                meter.grantUntil(event.grantedSeconds().value(), event.pricePerMinute()),
                chargedAmount, deadline, event.expiresAtMillis(), null, false);
    }

    Session charged(PlaytimeCharged event) {
        return new Session(id, queue, status, billingMode, cycleSeconds, startedAtMillis, firstRenewAtMillis,
                lastRenewAtMillis, meter.billUntil(event.billedSeconds().value()),
                chargedAmount + event.amount().minorUnits(), deadline, expiresAtMillis, null, balanceLimited);
    }

    Session renewed(SessionRenewed event) {
        return new Session(id, queue, SessionStatus.BILLING, billingMode, cycleSeconds, startedAtMillis,
                event.firstRenewAtMillis(), latest(lastRenewAtMillis, event.receivedAtMillis()),
                meter.grantUntil(event.grantedSeconds().value(), event.pricePerMinute()),
                chargedAmount, event.deadline().value(), event.expiresAtMillis(), null, event.balanceLimited());
    }

    Session ended(SessionEnded event) {
        return new Session(id, queue, SessionStatus.ENDED, billingMode, cycleSeconds, startedAtMillis,
                firstRenewAtMillis, lastRenewAtMillis, meter, chargedAmount, deadline, expiresAtMillis,
                event.reason(), balanceLimited);
    }

    Billing billing() {
        return Billing.of(billingMode);
    }

    SessionClock clock() {
        return new SessionClock(startedAtMillis, firstRenewAtMillis, cycleSeconds, lastRenewAtMillis);
    }

    /** An overtaken renew recorded after a later one never moves the latest receive time back. */
    private static Long latest(Long lastRenewAtMillis, long receivedAtMillis) {
        return lastRenewAtMillis == null ? receivedAtMillis : Math.max(lastRenewAtMillis, receivedAtMillis);
    }

    /** What this session's granted but unbilled playtime will still cost (only under-bill grants ahead of billing). */
    long unbilledCost() {
        return status.active() && billingMode != null ? meter.unbilledCost(billing().rounding()) : 0;
    }
}
