package io.playbill.ledger.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.domain.Account;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.PriceBook;
import io.playbill.ledger.domain.SessionRules;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * The Axon aggregate of one user's {@link Account}: it handles the gateway's {@code LedgerOperation} records as they
 * arrive (the request's user, receive time and actor ride along as metadata, {@link RequestMetaData}), asks the
 * account to decide, and applies the events decided. All rules are the domain's; this class only adapts.
 *
 * <p>Every handler may create the account ({@code CREATE_IF_MISSING}) so that a request for an unknown user is refused
 * like any other instead of failing; an account only exists once an event was applied. Only the expiry scanner's
 * {@link ExpireSession} needs an existing account.
 *
 * <p>Snapshots are this object as JSON: its revision ({@code @Revision}) names the snapshot's shape, and a snapshot of
 * another shape is ignored ({@code LedgerConfiguration#userAccountSnapshots}): the account is then rebuilt from its
 * events.
 */
@Aggregate(repository = "userAccountRepository", commandTargetResolver = "ledgerCommandTargets",
        snapshotFilter = "userAccountSnapshots")
@Revision(UserAccount.SNAPSHOT_REVISION)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class UserAccount {

    /**
     * The snapshot shape: 3 since a session remembers its latest renew's receive time (2: the domain {@link Account}
     * without it, 1: the fields of the old aggregate). An older snapshot lacks that time, so it is rebuilt from events.
     */
    public static final String SNAPSHOT_REVISION = "3";

    @AggregateIdentifier
    private String userId;
    private Account account = Account.NONE;

    protected UserAccount() {
        // Axon creates the instance and replays the events (or restores a snapshot).
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.AuthorizeSession command, MetaData request, PriceBook prices,
                         SessionRules rules, LedgerRegistry registry) {
        return Decisions.carryOut(account.authorize(command, RequestMetaData.request(request), prices, rules,
                registry));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.StartSession command, MetaData request, PriceBook prices,
                         SessionRules rules) {
        return Decisions.carryOut(account.start(command, RequestMetaData.request(request), prices, rules));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.RenewSession command, MetaData request, PriceBook prices) {
        return Decisions.carryOut(account.renew(command, RequestMetaData.request(request), prices));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.StopSession command, MetaData request, LedgerRegistry registry) {
        return Decisions.carryOut(account.stop(command, RequestMetaData.request(request), registry));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.AdmitCloudGame command, MetaData request, PriceBook prices,
                         SessionRules rules) {
        return Decisions.carryOut(account.admitCloudGame(command, RequestMetaData.request(request), prices, rules));
    }

    @CommandHandler
    public void handle(ExpireSession command) {
        Decisions.carryOut(account.expire(command.session(), command.checkedAtMillis()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.Deposit command, MetaData request, LedgerRegistry registry) {
        return Decisions.carryOut(account.deposit(command, RequestMetaData.request(request), registry));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.Refund command, MetaData request, LedgerRegistry registry) {
        return Decisions.carryOut(account.refund(command, RequestMetaData.request(request), registry));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Answer handle(LedgerOperation.Adjust command, MetaData request, LedgerRegistry registry) {
        return Decisions.carryOut(account.adjust(command, RequestMetaData.request(request), registry));
    }

    @EventSourcingHandler
    void on(Object event) {
        account = account.evolve(event);
        userId = account.userId();
    }
}
