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

/**
 * A read model with one row per user, keyed by user id. Every event of a user's account (everything but the price
 * list's) moves the row's sequence on, also one the model has no {@code on(EventType)} for.
 */
abstract class UserReadModel<R extends ReadModel.Row> extends ReadModel<String, R> {

    private static final Set<Class<?>> ACCOUNT_EVENTS = Set.of(AccountOpened.class, FundsDeposited.class,
            FundsRefunded.class, BalanceAdjusted.class, SessionAuthorized.class, SessionStarted.class,
            PlaytimeCharged.class, SessionRenewed.class, SessionEnded.class);

    @Override
    protected final String keyOf(LedgerEvent event) {
        return ACCOUNT_EVENTS.contains(event.payload().getClass()) ? event.aggregateId() : null;
    }
}
