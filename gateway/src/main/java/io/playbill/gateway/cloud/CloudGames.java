package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsSession;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.queue.CloudQueue;
import io.playbill.gateway.cloud.queue.QueuePlace;
import io.playbill.gateway.cloud.queue.QueueStanding;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starting and stopping cloud games for authenticated users: TrylockWorker, then CreateSession (the official flow),
 * with a FIFO queue per pool when no worker is idle. A newcomer queues behind anyone already waiting; a player whose
 * queued place became ready (a worker is locked for them) starts with their next start call. GS refusals are thrown
 * as {@link GsFailure}; each endpoint family answers them in its own shape.
 */
final class CloudGames {

    private static final Logger log = LoggerFactory.getLogger(CloudGames.class);

    private final TencentGs gs;
    private final CloudQueue queue;
    private final CloudSessions sessions;

    CloudGames(TencentGs gs, CloudQueue queue, CloudSessions sessions) {
        this.gs = gs;
        this.queue = queue;
        this.sessions = sessions;
    }

    /** The game started, or the user waits in the queue. */
    sealed interface StartOutcome permits Started, Queued {
    }

    record Started(GsSession session) implements StartOutcome {
    }

    record Queued(QueueStanding standing) implements StartOutcome {
    }

    StartOutcome start(String userId, GsStart start, String userIp) {
        Optional<QueuePlace> place = queue.find(userId);
        if (place.isPresent()) {
            Optional<StartOutcome> fromQueue = startFromQueue(place.get(), start, userIp);
            if (fromQueue.isPresent()) {
                return fromQueue.get();
            }
        }
        if (mustQueue(userId, start.pool())) {
            return new Queued(queue.enqueue(userId, start.lock(), userIp));
        }
        try {
            gs.trylockWorker(userId, start.lock(), userIp);
        } catch (GsFailure failure) {
            if (failure.isNoIdle()) {
                return new Queued(queue.enqueue(userId, start.lock(), userIp));
            }
            throw failure;
        }
        return startLocked(userId, start, userIp, () -> queue.enqueue(userId, start.lock(), userIp));
    }

    /** What the user's existing place means for this start; empty when they start as a newcomer. */
    private Optional<StartOutcome> startFromQueue(QueuePlace place, GsStart start, String userIp) {
        if (!place.pool().equals(start.pool())) {
            throw alreadyQueued(place);
        }
        return switch (place.status()) {
            case WAITING -> queue.poll(place.userId()).map(Queued::new);
            case READY -> queue.claimReady(place.userId()).map(claimed -> startClaimed(claimed, start, userIp));
            case STARTING -> throw new ApiException(HttpStatus.CONFLICT, "start_in_progress", "Another start of "
                    + "the user's game is under way; poll GET /api/cloud/queue or try again in a moment");
            case FAILED -> {
                queue.remove(place.userId());
                yield Optional.empty();
            }
        };
    }

    private static ApiException alreadyQueued(QueuePlace place) {
        return new ApiException(HttpStatus.CONFLICT, "already_queued", "The user waits for game "
                + place.pool().gameId() + " already; leave that queue first (DELETE /api/cloud/queue)");
    }

    /**
     * The worker locked for this ready place is the user's: lock it again (keeps it fresh) and start. The place
     * holds the line until then: put back if the worker was lost, gone once the call ends any other way.
     */
    private StartOutcome startClaimed(QueuePlace claimed, GsStart start, String userIp) {
        try {
            return startOnClaimedWorker(claimed, start, userIp);
        } finally {
            queue.leaveStarting(claimed);
        }
    }

    private StartOutcome startOnClaimedWorker(QueuePlace claimed, GsStart start, String userIp) {
        try {
            gs.trylockWorker(claimed.userId(), start.lock(), userIp);
        } catch (GsFailure failure) {
            // The lock ran out and the worker went to someone else, or GS failed: the user stays first in line.
            QueueStanding standing = backInLine(claimed);
            if (failure.isNoIdle()) {
                return new Queued(standing);
            }
            throw failure;
        }
        return startLocked(claimed.userId(), start, userIp, () -> backInLine(claimed));
    }

    /** The claimed place, first in line again; refused if the player stopped or left the queue meanwhile. */
    private QueueStanding backInLine(QueuePlace claimed) {
        return queue.putBack(claimed).orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "start_cancelled",
                "The user's place left the queue while this start ran (a stop, a cancel, or the start outlived the "
                        + "ready timeout), and the worker went to someone else; nothing was started"));
    }

    /**
     * CreateSession on the worker just locked. NoIdle there means the lock was lost (it lapsed and the worker went
     * to someone else): not a failure, the player goes back in line with {@code backInLine}.
     */
    private StartOutcome startLocked(String userId, GsStart start, String userIp,
                                     Supplier<QueueStanding> backInLine) {
        try {
            return new Started(createSession(userId, start, userIp));
        } catch (GsFailure failure) {
            if (failure.isNoIdle()) {
                return new Queued(backInLine.get());
            }
            throw failure;
        }
    }

    /**
     * Whether a newcomer must queue: others wait for the pool. A user whose current game runs on this pool
     * (reconnecting) tries the lock first, since GS gives them back their own worker.
     */
    boolean mustQueue(String userId, GsPool pool) {
        boolean reconnecting = sessions.current(userId).filter(pool::equals).isPresent();
        return !reconnecting && queue.isOccupied(pool);
    }

    /**
     * For clients that have no queue (the v1 demo): a place that became ready is started, anyone else starts only
     * when nobody waits and a worker is idle, and is never queued. A lock failure is thrown as TrylockWorker's.
     */
    Started startWithoutQueue(String userId, GsStart start, String userIp) {
        Optional<QueuePlace> place = queue.find(userId);
        // Waiting for another game, as /api/cloud/start has it: one place, and one game slot, at a time.
        place.filter(held -> held.status() != QueuePlace.Status.FAILED && !held.pool().equals(start.pool()))
                .ifPresent(held -> {
                    throw alreadyQueued(held);
                });
        if (place.isPresent() && place.get().status() == QueuePlace.Status.READY) {
            Optional<StartOutcome> fromQueue = startFromQueue(place.get(), start, userIp);
            if (fromQueue.isPresent() && fromQueue.get() instanceof Started started) {
                return started;
            }
        }
        if (mustQueue(userId, start.pool())) {
            throw new GsFailure("TrylockWorker", GsFailure.NO_IDLE, null, "Players are queued for this game", null);
        }
        gs.trylockWorker(userId, start.lock(), userIp);
        return new Started(createSession(userId, start, userIp));
    }

    /**
     * For clients that queue explicitly (the v2 {@code /Enqueue}): the user's standing, joining the queue if they
     * have no place. Never starts a game; the queue worker locks a worker for the head, which makes the place ready.
     */
    QueueStanding join(String userId, GsStart start, String userIp) {
        return join(userId, queue.find(userId), start, userIp);
    }

    /** {@link #join}, with the user's place as the caller has just read it (a poll every 1-5 s reads it once). */
    QueueStanding join(String userId, Optional<QueuePlace> current, GsStart start, String userIp) {
        current.filter(place -> place.status() != QueuePlace.Status.FAILED
                && !place.pool().equals(start.pool())).ifPresent(place -> {
            throw new ApiException(HttpStatus.CONFLICT, "already_queued", "The user waits for game "
                    + place.pool().gameId() + " already; leave that queue first");
        });
        return queue.poll(userId).orElseGet(() -> queue.enqueue(userId, start.lock(), userIp));
    }

    /**
     * CreateSession on the worker the user locked. If it fails, the worker is released (StopGame) so that it is not
     * held until GS's lock timeout, and the failure is thrown. Not when the user's game runs: TrylockWorker gave
     * back that game's own worker (a reconnect), and StopGame would end the game while its session goes on paying
     * for it. A failed reconnect leaves the game as it was.
     */
    GsSession createSession(String userId, GsStart start, String userIp) {
        boolean reconnecting = sessions.current(userId).isPresent();
        try {
            return gs.createSession(userId, start, userIp);
        } catch (GsFailure failure) {
            if (!reconnecting) {
                release(userId);
            }
            throw failure;
        }
    }

    /** Stops the user's game (or frees their lock) and gives up their queue place. */
    String stop(String userId) {
        queue.remove(userId);
        return gs.stopGame(userId);
    }

    /** The user's queue place, if any. */
    Optional<QueuePlace> place(String userId) {
        return queue.find(userId);
    }

    /** The user's standing; a failed place is answered once and removed. */
    Optional<QueueStanding> poll(String userId) {
        Optional<QueueStanding> standing = queue.poll(userId);
        standing.filter(s -> s.place().status() == QueuePlace.Status.FAILED).ifPresent(s -> queue.remove(userId));
        return standing;
    }

    /**
     * Leaves the queue; a worker already locked for the user is released, unless a start of the user holds their game
     * slot (a start under way, or a game running: GS gave the place the user's own worker), whose game the release
     * would end.
     */
    boolean cancel(String userId) {
        Optional<QueuePlace> removed = queue.remove(userId);
        removed.filter(place -> place.status() == QueuePlace.Status.READY).ifPresent(place -> {
            try {
                sessions.releaseLockUnlessStarted(userId, () -> release(userId));
            } catch (RuntimeException e) {
                // The place is gone already: leaving goes on (a session opened for the wait is still ended).
                log.warn("Could not release the worker locked for user {} ({}); GS frees it when the lock times out",
                        userId, e.toString());
            }
        });
        return removed.isPresent();
    }

    void release(String userId) {
        try {
            gs.stopGame(userId);
        } catch (GsFailure failure) {
            log.warn("Could not release the worker of user {} ({}); GS frees it when the lock times out", userId,
                    failure.code());
        }
    }
}
