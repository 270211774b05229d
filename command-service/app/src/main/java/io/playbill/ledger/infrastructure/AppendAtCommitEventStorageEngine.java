package io.playbill.ledger.infrastructure;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Axon's JDBC storage engine, but inside a Spring transaction the events of every unit of work are kept until the
 * transaction commits and then inserted as <b>one</b> JDBC batch: an intake batch of many requests costs one round
 * trip for its events instead of one per request (decision 044). Outside a transaction it appends at once, as Axon's.
 *
 * <p>Nothing can read what it has not inserted yet: before the store is read for an account whose events it holds
 * (the account's events, its last sequence number, a snapshot of it) it inserts what it holds, and before a tracking
 * read it inserts everything. The insert happens in the transaction's {@code beforeCommit}, still inside it, so a
 * failure there (another writer took a sequence number) rolls the whole transaction back with a
 * {@link ConcurrencyException}, even for an account's first event, where Axon's own would name the first event of the
 * batch, not the one that collided: the intake retries the batch on fresh state.
 * A rolled-back transaction drops what it held, as the database drops what was inserted.
 */
public class AppendAtCommitEventStorageEngine extends JdbcEventStorageEngine {

    public AppendAtCommitEventStorageEngine(JdbcEventStorageEngine.Builder builder) {
        super(builder);
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        Optional<Held> held = heldInThisTransaction(serializer);
        if (held.isEmpty() || events.isEmpty()) {
            super.appendEvents(events, serializer);
            return;
        }
        held.get().add(events);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        insertIfHolding(aggregateIdentifier);
        return super.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        insertIfHolding(aggregateIdentifier);
        return super.fetchDomainEvents(aggregateIdentifier, firstSequenceNumber, batchSize);
    }

    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        insertIfHolding(snapshot.getAggregateIdentifier());
        super.storeSnapshot(snapshot, serializer);
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        held().ifPresent(this::insert);
        return super.fetchTrackedEvents(lastToken, batchSize);
    }

    private void insertIfHolding(String aggregateIdentifier) {
        held().filter(held -> held.aggregates.contains(aggregateIdentifier)).ifPresent(this::insert);
    }

    private void insert(Held held) {
        if (held.events.isEmpty()) {
            return;
        }
        List<EventMessage<?>> events = new ArrayList<>(held.events);
        int accounts = held.aggregates.size();
        held.events.clear();
        held.aggregates.clear();
        try {
            super.appendEvents(events, held.serializer);
        } catch (AggregateStreamCreationException | ConcurrencyException taken) {
            // Axon names the first event of the batch, not the one that collided (the cause says which). Either way
            // another writer got there first: re-deciding on fresh state succeeds, so it is transient for the batch.
            throw new ConcurrencyException("Another writer stored a sequence number that one of the " + events.size()
                    + " events of this transaction's " + accounts + " accounts has: nothing of it is stored", taken);
        }
    }

    private Optional<Held> held() {
        return Optional.ofNullable((Held) TransactionSynchronizationManager.getResource(this));
    }

    /** What this transaction holds, bound to it on first use; empty outside a Spring transaction. */
    private Optional<Held> heldInThisTransaction(Serializer serializer) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            return Optional.empty();
        }
        Optional<Held> bound = held();
        if (bound.isPresent()) {
            return bound;
        }
        Held held = new Held(serializer);
        TransactionSynchronizationManager.bindResource(this, held);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                insert(held);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(AppendAtCommitEventStorageEngine.this);
            }
        });
        return Optional.of(held);
    }

    /** The events of one transaction not inserted yet, in the order they were appended, and their accounts. */
    private static final class Held {
        private final Serializer serializer;
        private final List<EventMessage<?>> events = new ArrayList<>();
        private final Set<String> aggregates = new HashSet<>();

        Held(Serializer serializer) {
            this.serializer = serializer;
        }

        void add(List<? extends EventMessage<?>> appended) {
            for (EventMessage<?> event : appended) {
                events.add(event);
                if (event instanceof DomainEventMessage<?> domainEvent) {
                    aggregates.add(domainEvent.getAggregateIdentifier());
                }
            }
        }
    }
}
