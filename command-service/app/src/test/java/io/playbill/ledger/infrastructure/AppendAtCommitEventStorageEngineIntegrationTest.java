package io.playbill.ledger.infrastructure;

import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger's event store inserts a transaction's events when it commits, as one batch (decision 044), on the real
 * PostgreSQL store: nothing before, everything then, nothing if it rolls back or the commit fails, and an account's
 * held events are read back inside the transaction as if they had been inserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AppendAtCommitEventStorageEngineIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    EventStorageEngine store;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private final String alice = "alice-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();

    @Test
    void aTransactionsEventsAreInsertedWhenItCommitsInTheOrderTheyWereAppended() {
        inTransaction(() -> {
            store.appendEvents(deposit(alice, 0), deposit(alice, 1));
            store.appendEvents(List.of(deposit(bob, 0)));

            assertThat(storedSequences(alice)).as("held until the commit").isEmpty();
            assertThat(storedSequences(bob)).isEmpty();
        });

        assertThat(storedSequences(alice)).containsExactly(0L, 1L);
        assertThat(storedSequences(bob)).containsExactly(0L);
        assertThat(jdbc.queryForList("select aggregate_identifier from domain_event_entry"
                        + " where aggregate_identifier in (?, ?) order by global_index", String.class, alice, bob))
                .containsExactly(alice, alice, bob);
    }

    @Test
    void anAccountsHeldEventsAreReadBackInsideTheTransaction() {
        inTransaction(() -> {
            store.appendEvents(deposit(alice, 0), deposit(alice, 1));

            assertThat(store.lastSequenceNumberFor(alice)).contains(1L);
            assertThat(store.readEvents(alice).asStream().map(DomainEventMessage::getSequenceNumber))
                    .containsExactly(0L, 1L);

            store.appendEvents(deposit(alice, 2));
            assertThat(store.readEvents(alice, 2).asStream().map(DomainEventMessage::getSequenceNumber))
                    .containsExactly(2L);
        });

        assertThat(storedSequences(alice)).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aRolledBackTransactionInsertsNothing() {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            store.appendEvents(deposit(alice, 0));
            status.setRollbackOnly();
        });

        assertThat(storedSequences(alice)).isEmpty();
        inTransaction(() -> store.appendEvents(deposit(alice, 0)));
        assertThat(storedSequences(alice)).as("nothing was left held for the next transaction").containsExactly(0L);
    }

    @Test
    void aSequenceNumberAnotherWriterTookFailsTheCommitAndNothingOfTheTransactionIsInserted() {
        store.appendEvents(deposit(alice, 0));
        assertThat(storedSequences(alice)).as("outside a transaction: inserted at once").containsExactly(0L);

        assertThatThrownBy(() -> inTransaction(() -> {
            store.appendEvents(deposit(bob, 0));
            store.appendEvents(deposit(alice, 0));
        })).isInstanceOf(ConcurrencyException.class);

        assertThat(storedSequences(bob)).isEmpty();
        assertThat(storedSequences(alice)).containsExactly(0L);
    }

    private void inTransaction(Runnable work) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> work.run());
    }

    private List<Long> storedSequences(String user) {
        return jdbc.queryForList("select sequence_number from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", Long.class, user);
    }

    private static DomainEventMessage<?> deposit(String user, long sequence) {
        FundsDeposited deposited = new FundsDeposited(user, user + "-pay-" + sequence, Money.of(100),
                Money.of(100 * (sequence + 1)), System.currentTimeMillis(), null);
        return new GenericDomainEventMessage<>("UserAccount", user, sequence, deposited);
    }
}
