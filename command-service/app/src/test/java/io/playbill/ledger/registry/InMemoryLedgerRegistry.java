package io.playbill.ledger.registry;

import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.RecordedMovement;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.SessionAuthorized;
import org.axonframework.eventhandling.EventHandler;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link LedgerRegistry} of the tests that run without a database: fed by the same events as the real one, either
 * as an Axon event handler (registered in an Axon configuration) or by {@link #record} for a fixture's given events.
 * Like the database's primary keys, it refuses a second claim of a session id or a reference.
 */
public final class InMemoryLedgerRegistry implements LedgerRegistry {

    private final Map<String, String> sessionOwners = new ConcurrentHashMap<>();
    private final Map<String, RecordedMovement> movements = new ConcurrentHashMap<>();

    @Override
    public Optional<String> sessionOwner(String session) {
        return Optional.ofNullable(sessionOwners.get(session));
    }

    @Override
    public Optional<RecordedMovement> movement(String reference) {
        return Optional.ofNullable(movements.get(reference));
    }

    /**
     * Records what these events claim (other events are ignored), as the projection did when they were stored. A
     * test may record the same history twice (one fixture run per {@code given}).
     */
    public InMemoryLedgerRegistry record(Object... events) {
        for (Object event : events) {
            if (event instanceof SessionAuthorized authorized) {
                sessionOwners.put(authorized.session(), authorized.userId());
            } else if (event instanceof FundsDeposited deposited) {
                movements.put(deposited.reference(), movementOf(deposited));
            } else if (event instanceof FundsRefunded refunded) {
                movements.put(refunded.reference(), movementOf(refunded));
            } else if (event instanceof BalanceAdjusted adjusted) {
                movements.put(adjusted.reference(), movementOf(adjusted));
            }
        }
        return this;
    }

    public void clear() {
        sessionOwners.clear();
        movements.clear();
    }

    @EventHandler
    void on(SessionAuthorized event) {
        if (sessionOwners.putIfAbsent(event.session(), event.userId()) != null) {
            throw new IllegalStateException("Session " + event.session() + " was claimed before");
        }
    }

    @EventHandler
    void on(FundsDeposited event) {
        claim(event.reference(), movementOf(event));
    }

    @EventHandler
    void on(FundsRefunded event) {
        claim(event.reference(), movementOf(event));
    }

    @EventHandler
    void on(BalanceAdjusted event) {
        claim(event.reference(), movementOf(event));
    }

    private static RecordedMovement movementOf(FundsDeposited event) {
        return new RecordedMovement(event.userId(), RecordedMovement.Kind.DEPOSIT, event.amount().minorUnits(), null,
                event.balanceAfter().minorUnits());
    }

    private static RecordedMovement movementOf(FundsRefunded event) {
        return new RecordedMovement(event.userId(), RecordedMovement.Kind.REFUND, event.amount().minorUnits(), event.reason(),
                event.balanceAfter().minorUnits());
    }

    private static RecordedMovement movementOf(BalanceAdjusted event) {
        return new RecordedMovement(event.userId(), RecordedMovement.Kind.ADJUSTMENT, event.amount().minorUnits(), event.reason(),
                event.balanceAfter().minorUnits());
    }

    private void claim(String reference, RecordedMovement movement) {
        if (movements.putIfAbsent(reference, movement) != null) {
            throw new IllegalStateException("Reference " + reference + " was claimed before");
        }
    }
}
