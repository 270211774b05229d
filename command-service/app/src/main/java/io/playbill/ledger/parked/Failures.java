package io.playbill.ledger.parked;

import org.axonframework.common.AxonTransientException;

/**
 * The parking rule every service shares ({@link io.playbill.service.parking.Failures}, decision 020), plus what only
 * the ledger meets: Axon's transient failures (an aggregate changed by another instance, a lock on it) would meet any
 * item, so they are retried, never parked.
 */
public final class Failures {

    private Failures() {
    }

    /** Whether {@code failure} would meet any item, so retrying (not parking) is right. */
    public static boolean isTransient(Throwable failure) {
        if (io.playbill.service.parking.Failures.isTransient(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AxonTransientException) {
                return true;
            }
        }
        return false;
    }

    /** One line for an operator, storable in PostgreSQL text. */
    public static String describe(Throwable failure) {
        return io.playbill.service.parking.Failures.describe(failure);
    }
}
