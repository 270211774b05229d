package io.playbill.ledger.publishing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, except that a commit does not wake its reader. Axon's reads the store again after
 * every commit of this JVM, so its streaming processors (here: the publisher) handled each intake batch's few events
 * with a query, a send, a wait for acks and a token update of their own. This one reads every fetch delay
 * ({@code playbill.ledger.publisher-poll-interval}) and at once again while a read finds events, so the publisher
 * handles what a whole interval committed together; events reach the topic up to one interval later (decision 044).
 */
final class PolledEventStore extends EmbeddedEventStore {

    PolledEventStore(EmbeddedEventStore.Builder builder) {
        super(builder);
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        // Not woken by a commit: the next read comes with the fetch delay.
    }
}
