package io.playbill.ledger.axon;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.Objects;

/**
 * A caching event-sourcing repository for when several command-service instances share the event store. Before it
 * uses a cached aggregate it asks the event store for the aggregate's last sequence number (one indexed query); if
 * another instance appended events since, the stale entry is dropped and the aggregate is loaded afresh.
 *
 * <p>Axon's plain cache would already fail a stale <em>write</em> (the append collides with the other instance's
 * sequence number and the request is retried), but a decision that writes nothing — a refusal, or a retried
 * deposit answered from memory — would be answered from stale state. This closes that gap.
 */
public class VersionCheckedCachingRepository<T> extends CachingEventSourcingRepository<T> {

    private final EventStore eventStore;
    private final Cache cache;

    public VersionCheckedCachingRepository(EventSourcingRepository.Builder<T> builder, EventStore eventStore,
                                           Cache cache) {
        super(builder.eventStore(eventStore).cache(cache));
        this.eventStore = eventStore;
        this.cache = cache;
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        if (cache.containsKey(aggregateIdentifier)) {
            EventSourcedAggregate<T> cached = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
            Long stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
            if (Objects.equals(cached.version(), stored)) {
                return cached;
            }
            cache.remove(aggregateIdentifier);
        }
        return super.doLoadWithLock(aggregateIdentifier, expectedVersion);
    }
}
