package io.playbill.gateway.cloud.gs;

import java.time.Duration;

/**
 * How often one kind of GS failure is retried within a call.
 *
 * @param maxAttempts    calls in all, the first included; 1 means no retry
 * @param initialBackoff the wait before the second call; it doubles per call
 * @param maxBackoff     the longest wait (equal to {@code initialBackoff} for a fixed wait)
 */
public record GsRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static final GsRetry NONE = new GsRetry(1, Duration.ZERO, Duration.ZERO);

    /** The wait after the {@code failedAttempts}-th failed call. */
    Duration backoff(int failedAttempts) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
