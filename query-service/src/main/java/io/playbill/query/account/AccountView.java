package io.playbill.query.account;

import java.time.Instant;
import java.util.List;

/**
 * A user's account: {@code balance} in minor units, billed playtime in total and per queue, and the sessions that
 * are not over (authorized, started or billing). A user the ledger has not seen has zeros.
 *
 * @param openedAt null for a user the ledger has not seen
 */
public record AccountView(String userId, long balance, long playtimeSeconds, int activeSessions,
                          List<QueuePlaytime> playtimeByQueue, Instant openedAt) {

    public AccountView {
        playtimeByQueue = List.copyOf(playtimeByQueue);
    }

    /** Billed playtime on one queue. */
    public record QueuePlaytime(String queue, long playtimeSeconds) {
    }
}
