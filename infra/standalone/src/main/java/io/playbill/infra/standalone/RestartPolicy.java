package io.playbill.infra.standalone;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Optional;

/**
 * How often a crashed service is started again: at most {@code maxRestarts} within any {@code window}, the n-th of
 * them after {@code firstDelay} × 2<sup>n-1</sup> (a service that crashes at once does not spin). Restarts older than
 * the window no longer count, so a service that crashes now and then is restarted each time, at once again.
 */
record RestartPolicy(int maxRestarts, Duration window, Duration firstDelay) {

    /** At most 5 restarts per service in 10 minutes, after 1 s, 2 s, 4 s, 8 s, 16 s. */
    static final RestartPolicy DEFAULT = new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1));

    RestartPolicy {
        if (maxRestarts < 0 || window.isNegative() || firstDelay.isNegative()) {
            throw new IllegalArgumentException("A restart policy needs non-negative limits");
        }
    }

    /** The next restart: its number (1-based) and how long to wait before it. */
    record Restart(int attempt, Duration delay) {
    }

    /**
     * The restart after a crash at {@code now}, given the service's earlier restarts (oldest first; those outside the
     * window are dropped from it), or empty when the budget is spent. The caller records the restart it performs.
     */
    Optional<Restart> next(Deque<Instant> earlier, Instant now) {
        Instant windowStart = now.minus(window);
        while (!earlier.isEmpty() && !earlier.peekFirst().isAfter(windowStart)) {
            earlier.removeFirst();
        }
        if (earlier.size() >= maxRestarts) {
            return Optional.empty();
        }
        int attempt = earlier.size() + 1;
        return Optional.of(new Restart(attempt, firstDelay.multipliedBy(1L << Math.min(attempt - 1, 20))));
    }
}
