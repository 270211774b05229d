package io.playbill.gateway.fairuse;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each user has open on this gateway instance at once. The rate limit counts requests as they
 * start; this counts them until they end, so that one user's requests that never finish (a body sent one byte a
 * minute) cannot hold every place of a concurrency budget. Only users with a request open have an entry, so the map
 * is bounded by the open connections.
 */
final class UserRequestsInFlight {

    private final int limit;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    UserRequestsInFlight(int limit) {
        this.limit = limit;
    }

    /** Counts a request of {@code userId} in, unless the user already has the limit open. */
    boolean enter(String userId) {
        boolean[] entered = {false};
        open.compute(userId, (id, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                return count;
            }
            entered[0] = true;
            return now + 1;
        });
        return entered[0];
    }

    /** Counts one of the user's requests out; called exactly once for every {@link #enter} that returned true. */
    void leave(String userId) {
        open.computeIfPresent(userId, (id, count) -> count > 1 ? count - 1 : null);
    }

    int limit() {
        return limit;
    }
}
