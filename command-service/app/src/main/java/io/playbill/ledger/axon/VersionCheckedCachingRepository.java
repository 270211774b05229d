package io.playbill.ledger.axon;

import io.playbill.service.transaction.TransactionScopedMap;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

/**
 * A caching event-sourcing repository for when several command-service instances share the event store. Before it
 * uses a cached aggregate it compares the aggregate's version with the last sequence number in the event store; if
 * another instance appended events since, the stale entry is dropped and the aggregate is loaded afresh.
 *
 * <p>Axon's plain cache would already fail a stale <em>write</em> (the append collides with the other instance's
 * sequence number and the request is retried), but a decision that writes nothing — a refusal, or a retried
 * deposit answered from memory — would be answered from stale state. This closes that gap.
 *
 * <p>The intake reads the stored versions of a whole batch's cached accounts in one query
 * ({@link #readStoredVersionsAhead}); each is used by the account's first load in that transaction. Any other load
 * (a second request of the same user in the batch, or outside a batch) asks the event store on its own.
 *
 * <p>An account loaded or saved in a Spring transaction leaves the cache if that transaction does not commit. Axon
 * forgets it only when the command's own unit of work rolls back; in an intake batch that unit of work has long
 * committed when the batch's transaction fails, and the cache would keep state whose events were never stored. The
 * version check alone does not catch that once another instance has stored as many events for the account.
 *
 * <p>An account another open transaction of this instance has appended to is not loaded at all, cached or not
 * (refused as transient instead, as above). A transaction suspended on the same thread (a {@code REQUIRES_NEW}
 * inside a batch) would still find the batch's accounts as its own: Spring unbinds only its connection, not these
 * maps. No such path loads an account today.
 */
public class VersionCheckedCachingRepository<T> extends CachingEventSourcingRepository<T> {

    /** The last stored sequence number of each of the given aggregates that has events. */
    @FunctionalInterface
    public interface StoredVersions {
        Map<String, Long> lastSequenceNumbers(Collection<String> aggregateIdentifiers);
    }

    private final EventStore eventStore;
    private final Cache cache;
    private final StoredVersions storedVersions;
    private static final Consumer<Map<String, Long>> NOTHING_BEFORE_COMMIT = touched -> {
    };

    /** The key of the current transaction's accounts to forget if it does not commit. */
    private final Object touchedInTransaction = new Object();
    private final Consumer<Map<String, Long>> forgetTouched;
    /**
     * Each account a transaction of this instance has appended to and not ended yet, with that transaction's map of
     * touched accounts, which tells the transactions apart by identity.
     */
    private final ConcurrentMap<String, Map<String, Long>> appendedUncommitted = new ConcurrentHashMap<>();
    private final Consumer<Map<String, Long>> endAppends;

    public VersionCheckedCachingRepository(EventSourcingRepository.Builder<T> builder, EventStore eventStore,
                                           Cache cache, StoredVersions storedVersions) {
        super(builder.eventStore(eventStore).cache(cache));
        this.eventStore = eventStore;
        this.cache = cache;
        this.storedVersions = storedVersions;
        this.forgetTouched = touched -> touched.keySet().forEach(cache::remove);
        // By identity: another transaction's map of the same accounts is equal, not the same.
        this.endAppends = ended -> ended.keySet().forEach(account -> appendedUncommitted.computeIfPresent(account,
                (key, appender) -> appender == ended ? null : appender));
    }

    /** Asks the event store for each account on its own, as outside a batch. */
    public VersionCheckedCachingRepository(EventSourcingRepository.Builder<T> builder, EventStore eventStore,
                                           Cache cache) {
        this(builder, eventStore, cache, ids -> {
            Map<String, Long> versions = new HashMap<>();
            ids.forEach(id -> eventStore.lastSequenceNumberFor(id).ifPresent(version -> versions.put(id, version)));
            return versions;
        });
    }

    /**
     * Reads, in one go, the stored versions of those of {@code aggregateIdentifiers} that are cached, for their
     * first load in the current transaction. Outside a transaction it does nothing.
     */
    public void readStoredVersionsAhead(Collection<String> aggregateIdentifiers) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        List<String> cached = aggregateIdentifiers.stream().distinct().filter(cache::containsKey).toList();
        if (cached.size() < 2) {
            return; // one account: its own check is the same one query
        }
        Map<String, Long> stored = storedVersions.lastSequenceNumbers(cached);
        Map<String, Long> ahead = TransactionScopedMap.<String, Long>of(this).orElseThrow();
        cached.forEach(id -> ahead.put(id, stored.get(id)));
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        refuseIfAnotherTransactionAppended(aggregateIdentifier);
        Optional<Map<String, Long>> touched = touched();
        touched.ifPresent(versions -> versions.put(aggregateIdentifier, null));
        EventSourcedAggregate<T> loaded = loadChecked(aggregateIdentifier, expectedVersion);
        touched.ifPresent(versions -> versions.put(aggregateIdentifier, loaded.version()));
        return loaded;
    }

    private EventSourcedAggregate<T> loadChecked(String aggregateIdentifier, Long expectedVersion) {
        if (cache.containsKey(aggregateIdentifier)) {
            EventSourcedAggregate<T> cached = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
            Long stored = storedVersion(aggregateIdentifier);
            if (isAhead(cached.version(), stored)) {
                // The version read ahead for the batch may predate a commit since (the scanner's, or an account
                // evicted and loaded again): only the store's answer now tells an uncommitted transaction apart.
                stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
            }
            if (Objects.equals(cached.version(), stored)) {
                return cached;
            }
            if (isAhead(cached.version(), stored)) {
                // Another transaction of this instance (an intake batch) decided the account and has not committed.
                // Deciding from the stored state would append at the same sequence and wait on that transaction's
                // row while holding the account's lock, which that batch's next request for the account waits for:
                // a deadlock only Axon's lock timeout (60 s) ends. Refused as transient instead: asked again later.
                throw new ConcurrencyException("Account " + aggregateIdentifier + " has events of another transaction"
                        + " not committed yet (version " + cached.version() + ", stored " + stored + ")");
            }
            cache.remove(aggregateIdentifier);
        }
        return super.doLoadWithLock(aggregateIdentifier, expectedVersion);
    }

    private static boolean isAhead(Long cached, Long stored) {
        return cached != null && (stored == null || cached > stored);
    }

    @Override
    protected void doSaveWithLock(EventSourcedAggregate<T> aggregate) {
        super.doSaveWithLock(aggregate);
        String id = aggregate.identifierAsString();
        // Axon saves every aggregate a command loaded; only one whose version moved has had events appended (a
        // refusal, a retry answered from memory or a renew that changes nothing appends none, and blocks nobody).
        touched().ifPresent(versions -> {
            if (!versions.containsKey(id) || !Objects.equals(versions.get(id), aggregate.version())) {
                appendedUncommitted.put(id, versions);
            }
            versions.putIfAbsent(id, null);
        });
    }

    /**
     * Another transaction of this instance (an intake batch) appended to the account and has not ended. Loading it
     * from the store now (it is not cached, or no longer: evicted, or dropped when a later command of that batch was
     * refused) would decide from the state before those events, append at the same sequence and wait on that
     * transaction's row while holding the account's lock, which that batch's next request for the account waits for:
     * a deadlock only Axon's lock timeout (60 s) ends. Refused as transient instead: asked again later.
     */
    private void refuseIfAnotherTransactionAppended(String aggregateIdentifier) {
        Map<String, Long> appender = appendedUncommitted.get(aggregateIdentifier);
        Map<String, Long> mine = TransactionScopedMap.<String, Long>ifMade(touchedInTransaction).orElse(null);
        if (appender != null && appender != mine) {
            throw new ConcurrencyException("Account " + aggregateIdentifier + " has events of another transaction"
                    + " not committed yet");
        }
    }

    /**
     * The accounts the current Spring transaction (if any) loaded or saved, each with its version as last loaded
     * (null before its load ends, or for one created here). Whatever it touched leaves the cache if it does not commit;
     * whatever it appended to is refused to others until it ends, either way.
     */
    private Optional<Map<String, Long>> touched() {
        return TransactionScopedMap.of(touchedInTransaction, NOTHING_BEFORE_COMMIT, forgetTouched, endAppends);
    }

    /** The version read ahead for this transaction, used once; else the event store's answer now. */
    private Long storedVersion(String aggregateIdentifier) {
        Optional<Map<String, Long>> ahead = TransactionScopedMap.ifMade(this);
        if (ahead.isPresent() && ahead.get().containsKey(aggregateIdentifier)) {
            return ahead.get().remove(aggregateIdentifier);
        }
        return eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
    }
}
