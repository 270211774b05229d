package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.query.projection.LedgerEvent;

import java.util.Set;

/** Which events belong to a user's account: everything but the price list's. */
final class AccountEvents {

    private static final Set<Class<?>> TYPES = Set.of(AccountOpened.class, FundsDeposited.class, FundsRefunded.class,
            BalanceAdjusted.class, SessionAuthorized.class, SessionStarted.class, PlaytimeCharged.class,
            SessionRenewed.class, SessionEnded.class);

    private AccountEvents() {
    }

    /** The user whose account {@code event} belongs to; null for the price list's events. */
    static String userOf(LedgerEvent event) {
        return TYPES.contains(event.payload().getClass()) ? event.aggregateId() : null;
    }
}
