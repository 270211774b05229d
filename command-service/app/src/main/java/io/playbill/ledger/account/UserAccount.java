package io.playbill.ledger.account;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.messages.LedgerError;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** One user's prepaid account: the balance and everything that moved it. Created by its first request. */
@Aggregate
public class UserAccount {

    @AggregateIdentifier
    private String userId;
    private long balance;
    private final Map<String, FundsDeposited> depositsByReference = new HashMap<>();

    protected UserAccount() {
        // Axon creates the instance and replays the events.
    }

    /** @return the balance after the deposit */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public long handle(DepositFunds command) {
        if (command.amount() <= 0) {
            throw new LedgerRefusal(LedgerError.INVALID_REQUEST, "A deposit amount must be positive");
        }
        FundsDeposited earlier = depositsByReference.get(command.reference());
        if (earlier != null) {
            if (earlier.amount() != command.amount()) {
                throw new LedgerRefusal(LedgerError.REFERENCE_CONFLICT, "Reference " + command.reference()
                        + " was already used for a deposit of " + earlier.amount());
            }
            return earlier.balanceAfter();
        }
        openIfNew(command.userId(), command.receivedAtMillis());
        apply(new FundsDeposited(command.userId(), command.reference(), command.amount(),
                balance + command.amount(), command.receivedAtMillis()));
        return balance;
    }

    private void openIfNew(String user, long at) {
        if (userId == null) {
            apply(new AccountOpened(user, at));
        }
    }

    @EventSourcingHandler
    void on(AccountOpened event) {
        userId = event.userId();
    }

    @EventSourcingHandler
    void on(FundsDeposited event) {
        balance = event.balanceAfter();
        depositsByReference.put(event.reference(), event);
    }
}
