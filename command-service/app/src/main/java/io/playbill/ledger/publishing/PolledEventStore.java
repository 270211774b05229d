package io.playbill.ledger.publishing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;

/**
 * Axon's embedded event store, with two changes for its one reader, the publisher (decisions 044 and 045).
 *
 * <p>A commit does not wake the reader. Axon's reads the store again after every commit of this JVM, so its
 * streaming processors handled each intake batch's few events with a query, a send, a wait for acks and a token
 * update of their own. This one reads every fetch delay ({@code playbill.ledger.publisher-poll-interval}) and at once
 * again while a read finds events, so the publisher handles what a whole interval committed together; events reach
 * the topic up to one interval later.
 *
 * <p>It keeps the last {@value #CACHED_EVENTS} events read, not Axon's 10,000. The cache lets several readers share
 * one read of the store; with one reader it only keeps events the publisher has already sent. Kept for 10,000 events,
 * each lived through many young collections, moved to the old generation and died there, which filled it and made
 * full collections under load. A reader that falls further behind than the cache reads the store on its own until it
 * catches up, as Axon's readers do when they start.
 */
final class PolledEventStore extends EmbeddedEventStore {

    /** A few polls' worth at the target rate (3,000 renews a second, two events each, 50 ms apart). */
    static final int CACHED_EVENTS = 1_000;

    PolledEventStore(EmbeddedEventStore.Builder builder) {
        super(builder.cachedEvents(CACHED_EVENTS));
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        // Not woken by a commit: the next read comes with the fetch delay.
    }
}
