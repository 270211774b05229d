package io.playbill.ledger.axon;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Axon's aggregate {@link Cache} over a size-bounded Caffeine map: the accounts of the users playing now stay
 * loaded, the least recently used ones are evicted. It replaces a weak-reference cache, which lost every entry at
 * each garbage collection and so made almost every request re-read its account from the event store.
 *
 * <p>An entry may be stale when another instance appended to the account; {@link VersionCheckedCachingRepository}
 * checks the stored version before using one.
 *
 * <p>Entry listeners hear of every read, creation, update and removal made through this interface, and of
 * evictions (as expired), on the calling thread.
 */
public final class BoundedAccountCache implements Cache {

    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Object, Object> entries;

    public BoundedAccountCache(long maximumSize) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize)
                // Evict on the writing thread (not a pool), so the bound holds when a put returns and listeners hear
                // of evictions in order.
                .executor(Runnable::run)
                .evictionListener((key, value, cause) -> notifyListeners(listener -> listener.onEntryExpired(key)))
                .build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = entries.get(key);
        if (value != null) {
            notifyListeners(listener -> listener.onEntryRead(key, value));
        }
        return (V) value;
    }

    @Override
    public void put(Object key, Object value) {
        Object previous = entries.put(key, value);
        if (previous == null) {
            notifyListeners(listener -> listener.onEntryCreated(key, value));
        } else {
            notifyListeners(listener -> listener.onEntryUpdated(key, value));
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        boolean added = entries.putIfAbsent(key, value) == null;
        if (added) {
            notifyListeners(listener -> listener.onEntryCreated(key, value));
        }
        return added;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        boolean[] created = {false};
        T value = (T) entries.computeIfAbsent(key, k -> {
            T supplied = valueSupplier.get();
            created[0] = supplied != null;
            return supplied;
        });
        if (created[0]) {
            notifyListeners(listener -> listener.onEntryCreated(key, value));
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        boolean[] present = {false};
        Object value = entries.computeIfPresent(key, (k, v) -> {
            present[0] = true;
            return update.apply((V) v);
        });
        if (!present[0]) {
            return;
        }
        if (value == null) {
            notifyListeners(listener -> listener.onEntryRemoved(key));
        } else {
            notifyListeners(listener -> listener.onEntryUpdated(key, value));
        }
    }

    @Override
    public boolean remove(Object key) {
        boolean removed = entries.remove(key) != null;
        if (removed) {
            notifyListeners(listener -> listener.onEntryRemoved(key));
        }
        return removed;
    }

    @Override
    public void removeAll() {
        for (Object key : List.copyOf(entries.keySet())) {
            remove(key);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void notifyListeners(Consumer<EntryListener> event) {
        if (!listeners.isEmpty()) {
            listeners.forEach(event);
        }
    }
}
