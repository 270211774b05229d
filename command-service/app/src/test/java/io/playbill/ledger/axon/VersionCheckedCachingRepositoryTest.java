package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation.AuthorizeSession;
import io.playbill.ledger.api.messages.LedgerOperation.Deposit;
import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.PriceBook;
import io.playbill.ledger.domain.SessionRules;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.PRICE;
import static io.playbill.ledger.axon.AccountEvents.QUEUE;
import static io.playbill.ledger.axon.AccountEvents.SESSION;
import static io.playbill.ledger.axon.AccountEvents.T;
import static io.playbill.ledger.axon.AccountEvents.USER;
import static io.playbill.ledger.axon.AccountEvents.answered;
import static io.playbill.ledger.axon.AccountEvents.at;
import static io.playbill.ledger.axon.AccountEvents.balance;
import static io.playbill.ledger.axon.AccountEvents.rules;
import static org.assertj.core.api.Assertions.assertThat;

/** Two command-service instances share one event store, each with its own account cache. */
class VersionCheckedCachingRepositoryTest {

    private static final String OTHER_USER = "bob";

    private final InMemoryEventStorageEngine sharedStore = new InMemoryEventStorageEngine();
    private final InMemoryPriceBook prices = new InMemoryPriceBook().price(QUEUE, T - 3_600_000, PRICE);
    /** Shared like the database's registry tables. */
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();
    private final Map<Configuration, VersionCheckedCachingRepository<UserAccount>> repositories = new HashMap<>();
    private final Configuration instanceA = instance();
    private final Configuration instanceB = instance();

    @Test
    void aRetryAnsweredByTheOtherInstanceSeesWhatTheFirstOneApplied() {
        send(instanceA, new Deposit(100, "pay-1"), at(T, FINANCE));
        send(instanceB, new Deposit(50, "pay-2"), at(T + 1, FINANCE));

        Object retryOnA = send(instanceA, new Deposit(50, "pay-2"), at(T + 1, FINANCE));

        assertThat(retryOnA).as("answered from the stored account, not the stale cached one")
                .isEqualTo(balance(150));
        assertThat(instanceA.eventStore().readEvents(USER).asStream().count()).isEqualTo(3);
    }

    @Test
    void aRefusalIsNeverDecidedOnStaleState() {
        send(instanceA, new Deposit(10, "pay-1"), at(T, FINANCE));
        send(instanceB, new Deposit(1000, "pay-2"), at(T + 1, FINANCE));

        Object authorizeOnA = send(instanceA, new AuthorizeSession(SESSION, QUEUE), at(T + 2));

        assertThat(authorizeOnA).isNotEqualTo(LedgerError.INSUFFICIENT_BALANCE)
                .isEqualTo(answered(1010));
    }

    @Test
    void aBatchThatReadsTheVersionsAheadStillSeesWhatTheOtherInstanceApplied() {
        send(instanceA, new Deposit(100, "pay-1"), at(T, FINANCE));
        send(instanceB, new Deposit(50, "pay-2"), at(T + 1, FINANCE));

        Object retryOnA = inOneBatchOn(instanceA, () -> send(instanceA, new Deposit(50, "pay-2"), at(T + 1, FINANCE)));

        assertThat(retryOnA).isEqualTo(balance(150));
    }

    @Test
    void aVersionReadAheadServesOnlyTheFirstLoadOfTheAccountInTheBatch() {
        send(instanceA, new Deposit(10, "pay-1"), at(T, FINANCE));

        List<Object> answers = inOneBatchOn(instanceA, () -> {
            Object first = send(instanceA, new Deposit(10, "pay-1"), at(T, FINANCE)); // a retry: it writes nothing
            send(instanceB, new Deposit(1000, "pay-2"), at(T + 3, FINANCE));
            Object second = send(instanceA, new AuthorizeSession(SESSION, QUEUE), at(T + 4));
            return List.of(first, second);
        });

        assertThat(answers.get(0)).isEqualTo(balance(10));
        assertThat(answers.get(1)).as("the second load asks the store, which has the other instance's deposit")
                .isEqualTo(answered(1010));
    }

    /**
     * What the intake does: a transaction per batch, which first reads its accounts' versions ahead (with another
     * cached account in the batch: a batch of one account reads nothing ahead).
     */
    private <R> R inOneBatchOn(Configuration instance, Supplier<R> requests) {
        send(instance, new Deposit(1, "pay-bob"), AccountEvents.request(OTHER_USER, T, FINANCE));
        TransactionSynchronizationManager.initSynchronization();
        try {
            repositories.get(instance).readStoredVersionsAhead(List.of(USER, OTHER_USER));
            return requests.get();
        } finally {
            TransactionSynchronizationManager.getSynchronizations()
                    .forEach(done -> done.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    private Configuration instance() {
        BoundedAccountCache cache = new BoundedAccountCache(10_000);
        AtomicReference<VersionCheckedCachingRepository<UserAccount>> repository = new AtomicReference<>();
        Configuration axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> sharedStore)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(UserAccount.class)
                        .configureRepository(c -> repository.updateAndGet(made -> new VersionCheckedCachingRepository<>(
                                EventSourcingRepository.builder(UserAccount.class)
                                        .parameterResolverFactory(c.parameterResolverFactory())
                                        .handlerDefinition(c.handlerDefinition(UserAccount.class)),
                                c.eventStore(), cache)))
                        .configureCommandTargetResolver(c -> LedgerCommands.TARGETS))
                .registerComponent(PriceBook.class, c -> prices)
                .registerComponent(SessionRules.class, c -> rules(BillingMode.UNDER))
                .registerComponent(LedgerRegistry.class, c -> registry)
                .eventProcessing(processing -> processing.usingSubscribingEventProcessors()
                        .registerEventHandler(c -> registry))
                .buildConfiguration();
        axon.start();
        repositories.put(axon, repository.get());
        return axon;
    }

    private static Object send(Configuration instance, Object command, MetaData request) {
        try {
            return instance.commandGateway().sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(request));
        } catch (LedgerRefusal refusal) {
            return refusal.error();
        }
    }
}
