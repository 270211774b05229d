package io.playbill.service.transaction;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A map an owner keeps for the rest of the current Spring transaction (one intake batch), bound to it as a resource
 * and dropped when it ends, whether it commits or rolls back.
 */
public final class TransactionScopedMap {

    private TransactionScopedMap() {
    }

    /** The owner's map in this transaction, made on first use; empty outside a transaction. */
    public static <K, V> Optional<Map<K, V>> of(Object owner) {
        return of(owner, map -> {
        });
    }

    /**
     * The same, and {@code beforeCommit} is given the map just before the transaction commits, still inside it:
     * what it writes commits with the rest, and if it fails the transaction rolls back.
     */
    public static <K, V> Optional<Map<K, V>> of(Object owner, Consumer<Map<K, V>> beforeCommit) {
        return of(owner, beforeCommit, map -> {
        }, map -> {
        });
    }

    /**
     * The same, and {@code unlessCommitted} is given the map once the transaction has ended without a commit (rolled
     * back, or its outcome unknown), and {@code whenEnded} once it has ended, either way (last).
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Optional<Map<K, V>> of(Object owner, Consumer<Map<K, V>> beforeCommit,
                                                Consumer<Map<K, V>> unlessCommitted, Consumer<Map<K, V>> whenEnded) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return Optional.empty();
        }
        var map = (Map<K, V>) TransactionSynchronizationManager.getResource(owner);
        if (map == null) {
            Map<K, V> made = new HashMap<>();
            map = made;
            TransactionSynchronizationManager.bindResource(owner, map);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    beforeCommit.accept(made);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(owner);
                    if (status != STATUS_COMMITTED) {
                        unlessCommitted.accept(made);
                    }
                    whenEnded.accept(made);
                }
            });
        }
        return Optional.of(map);
    }

    /** The owner's map if it made one in this transaction. */
    @SuppressWarnings("unchecked")
    public static <K, V> Optional<Map<K, V>> ifMade(Object owner) {
        return Optional.ofNullable((Map<K, V>) TransactionSynchronizationManager.getResource(owner));
    }
}
