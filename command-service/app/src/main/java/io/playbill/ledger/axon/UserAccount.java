package io.playbill.ledger.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.domain.Account;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.Decision;
import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.PriceBook;
import io.playbill.ledger.domain.Request;
import io.playbill.ledger.domain.SessionRules;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.function.Function;

/**
 * The Axon aggregate of one user's {@link Account}: it handles the gateway's {@code LedgerOperation} records as they
 * arrive (the request's user, receive time and actor ride along as metadata, {@link LedgerCommands}), asks the
 * account to decide, and applies the events decided. All rules are the domain's; this class only adapts.
 *
 * <p>Every {@link RequestHandler} may create the account, so that a request for an unknown user is refused like any
 * other; only the expiry scanner's {@link ExpireSession} needs an existing account.
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

    @RequestHandler
    public Answer handle(LedgerOperation.AuthorizeSession command, MetaData request, PriceBook prices,
                         SessionRules rules, LedgerRegistry registry) {
        return decide(request, asked -> account.authorize(command, asked, prices, rules, registry));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.StartSession command, MetaData request, PriceBook prices,
                         SessionRules rules) {
        return decide(request, asked -> account.start(command, asked, prices, rules));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.RenewSession command, MetaData request, PriceBook prices) {
        return decide(request, asked -> account.renew(command, asked, prices));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.StopSession command, MetaData request, LedgerRegistry registry) {
        return decide(request, asked -> account.stop(command, asked, registry));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.AdmitCloudGame command, MetaData request, PriceBook prices,
                         SessionRules rules) {
        return decide(request, asked -> account.admitCloudGame(command, asked, prices, rules));
    }

    @CommandHandler
    public void handle(ExpireSession command) {
        LedgerCommands.carryOut(account.expire(command.session(), command.checkedAtMillis()));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.Deposit command, MetaData request, LedgerRegistry registry) {
        return decide(request, asked -> account.deposit(command, asked, registry));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.Refund command, MetaData request, LedgerRegistry registry) {
        return decide(request, asked -> account.refund(command, asked, registry));
    }

    @RequestHandler
    public Answer handle(LedgerOperation.Adjust command, MetaData request, LedgerRegistry registry) {
        return decide(request, asked -> account.adjust(command, asked, registry));
    }

    /** Every request's one path: the account decides with the request's metadata, and the decision is carried out. */
    private static Answer decide(MetaData request, Function<Request, Decision> decision) {
        return LedgerCommands.carryOut(decision.apply(LedgerCommands.request(request)));
    }

    @EventSourcingHandler
    void on(Object event) {
        account = account.evolve(event);
        userId = account.userId();
    }
}
