package io.playbill.gateway.cloud.queue;

import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;

import java.time.Instant;

/**
 * A player's place in the queue of one game (a row of {@code cloud_queue}).
 *
 * @param lock          what TrylockWorker is asked for this player: the game, their preferred region, the group
 * @param seq           the FIFO number: lower is served first
 * @param userIp        the player's public address for TrylockWorker, or null
 * @param errorCode     the GS error that made the place {@link Status#FAILED}, else null
 * @param nextAttemptAt when TrylockWorker may next be tried for this place
 * @param readyUntil    for a {@link Status#READY} place, until when its locked worker waits for the player; for a
 *                      {@link Status#STARTING} one, until when its start call may hold the line
 */
public record QueuePlace(String userId, GsLockRequest lock, long seq, Status status, String userIp,
                         String errorCode, Instant nextAttemptAt, Instant readyUntil) {

    public enum Status {
        /** Not served yet. */
        WAITING,
        /** A worker is locked for the player, who must call start again before {@code readyUntil}. */
        READY,
        /**
         * The player's start call is under way on the worker locked for them. The place keeps its number and holds
         * the line: nobody behind it is served until the call ends (started: the place is gone; the lock was lost:
         * waiting again, first in line).
         */
        STARTING,
        /** GS refused the player's lock for a reason waiting does not cure; told on the next poll. */
        FAILED
    }

    public GsPool pool() {
        return lock.pool();
    }
}
