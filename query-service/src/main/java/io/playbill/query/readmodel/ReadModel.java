package io.playbill.query.readmodel;

import io.playbill.query.projection.LedgerEvent;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What one projection decides from a batch of ledger events, before anything is stored: which rows the batch
 * touches ({@link #keys}) and how each event changes its row ({@link #apply}), one {@code on(EventType)} per event.
 *
 * <p>Every row remembers the sequence of the last event it applied, and an event at or below it is skipped: the
 * topic may deliver an event again, and a redelivered event must change nothing. A row's events arrive in their
 * sequence order (the topic is keyed by user). One instance serves one batch, so a model may also collect what the
 * batch adds to its sums.
 *
 * @param <K> a row's key
 * @param <R> a row
 */
public abstract class ReadModel<K, R extends ReadModel.Row> {

    private final Map<Class<?>, EventChange<R, ?>> changes = new HashMap<>();

    /** The key of the row {@code event} changes; null when the event is none of this model's. */
    protected abstract K keyOf(LedgerEvent event);

    /** A row the store does not hold yet. */
    protected abstract R newRow(K key);

    /** How an event of {@code type} changes its row. */
    protected final <E> void on(Class<E> type, BiConsumer<R, E> change) {
        onEvent(type, (row, payload, event) -> change.accept(row, payload));
    }

    /** As {@link #on}, for a change that also needs the event's identity (its id or sequence). */
    protected final <E> void onEvent(Class<E> type, EventChange<R, E> change) {
        changes.put(type, change);
    }

    /** The keys of the rows {@code events} touch, in first-seen order: what the store loads before {@link #apply}. */
    public final Set<K> keys(List<LedgerEvent> events) {
        Set<K> keys = new LinkedHashSet<>();
        for (LedgerEvent event : events) {
            K key = keyOf(event);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * Applies {@code events} in order to the rows the store holds ({@code stored}, by key; a key it lacks starts a
     * new row) and returns the rows that changed, in first-changed order.
     */
    public final List<R> apply(List<LedgerEvent> events, Map<K, R> stored) {
        Map<K, R> rows = new HashMap<>(stored);
        Map<K, R> changed = new LinkedHashMap<>();
        for (LedgerEvent event : events) {
            K key = keyOf(event);
            if (key == null) {
                continue;
            }
            R row = rows.computeIfAbsent(key, this::newRow);
            if (event.sequence() <= row.lastSequence) {
                continue;
            }
            row.lastSequence = event.sequence();
            changed.put(key, row);
            apply(row, event);
        }
        return List.copyOf(changed.values());
    }

    @SuppressWarnings("unchecked")
    private <E> void apply(R row, LedgerEvent event) {
        EventChange<R, E> change = (EventChange<R, E>) changes.get(event.payload().getClass());
        if (change != null) {
            change.apply(row, (E) event.payload(), event);
        }
    }

    /** A change that needs the event itself besides its payload. */
    @FunctionalInterface
    protected interface EventChange<R, E> {
        void apply(R row, E payload, LedgerEvent event);
    }

    /** A read-model row: its state plus the sequence of the last event it applied. */
    public abstract static class Row {

        long lastSequence;

        /** A new row has applied nothing (-1); a stored one gives its stored sequence. */
        protected Row(long lastSequence) {
            this.lastSequence = lastSequence;
        }

        public final long lastSequence() {
            return lastSequence;
        }
    }
}
