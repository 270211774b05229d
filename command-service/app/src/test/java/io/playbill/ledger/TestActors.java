package io.playbill.ledger;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;

import java.util.List;

/** Who asks in the tests' requests: the player for their session, an admin for money and prices, as the gateway sends. */
public final class TestActors {

    public static final Actor ADMIN = new Actor("ops", List.of("admin"));

    private TestActors() {
    }

    public static Actor of(String user, LedgerOperation operation) {
        boolean moneyOrPrice = operation instanceof LedgerOperation.Deposit || operation instanceof LedgerOperation.Refund
                || operation instanceof LedgerOperation.Adjust || operation instanceof LedgerOperation.SetPrice
                || operation instanceof LedgerOperation.ResolveParked;
        return moneyOrPrice ? ADMIN : Actor.player(user);
    }
}
