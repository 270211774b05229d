package io.playbill.ledger.account;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An aggregate cache for tests that never forgets on its own (unlike a weak-reference cache under GC). */
final class StrongCache implements Cache {

    private final Map<Object, Object> entries = new ConcurrentHashMap<>();

    void clear() {
        entries.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        throw new UnsupportedOperationException("The test cache has no listeners");
    }
}
