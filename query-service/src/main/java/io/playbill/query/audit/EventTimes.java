package io.playbill.query.audit;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;

/** When an event happened on the gateway's clock, the time every report and "as of" uses. */
final class EventTimes {

    private EventTimes() {
    }

    /** The event's own time, or {@code fallback} (its creation time) for a type without one. */
    static long of(Object payload, long fallback) {
        if (payload instanceof AccountOpened e) {
            return e.openedAtMillis();
        } else if (payload instanceof FundsDeposited e) {
            return e.receivedAtMillis();
        } else if (payload instanceof FundsRefunded e) {
            return e.receivedAtMillis();
        } else if (payload instanceof BalanceAdjusted e) {
            return e.receivedAtMillis();
        } else if (payload instanceof SessionAuthorized e) {
            return e.receivedAtMillis();
        } else if (payload instanceof SessionStarted e) {
            return e.receivedAtMillis();
        } else if (payload instanceof PlaytimeCharged e) {
            return e.receivedAtMillis();
        } else if (payload instanceof SessionRenewed e) {
            return e.receivedAtMillis();
        } else if (payload instanceof SessionEnded e) {
            return e.endedAtMillis();
        } else if (payload instanceof PriceSet e) {
            return e.effectiveFromMillis();
        }
        return fallback;
    }
}
