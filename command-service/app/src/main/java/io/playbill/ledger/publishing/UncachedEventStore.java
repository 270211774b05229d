package io.playbill.ledger.publishing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store without its shared reader: every stream reads the store itself, when its processor
 * asks for events (decision 045).
 *
 * <p>Axon's store runs a reader thread that reads each new event into a cache of the last 10,000, for streams that
 * keep up to take from. The ledger has one stream, the publisher's, and it mostly read the store on its own anyway;
 * the cached copies lived through many young collections, moved to the old generation and filled it, which made
 * full collections under load.
 */
final class UncachedEventStore extends EmbeddedEventStore {

    UncachedEventStore(EmbeddedEventStore.Builder builder) {
        super(builder.optimizeEventConsumption(false));
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        // There is no reader thread to wake.
    }
}
