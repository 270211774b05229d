package io.playbill.gateway.cloud.queue;

import io.playbill.gateway.cloud.RepeatingTask;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.stop.CloudSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the queues: every tick it drops expired places (releasing the workers of ready places nobody came back
 * for), then for each game whose head is due, tries TrylockWorker for the waiting places in FIFO order, each with
 * its player's preferred region, until GS has no idle worker of the game. A "not now" answer (no idle worker, a
 * transient failure, the player's previous game still stopping, a worker still initialising) leaves the head first
 * in line for the next attempt. Every gateway instance runs one; the game's advisory lock lets one instance at a
 * time serve a game, and the attempt times stored with the places keep the retry interval shared by all instances.
 */
public final class QueueWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);

    /** Workers freed at once are rare; this bounds one turn's GS calls and transaction length. */
    private static final int MAX_PLACES_PER_TURN = 10;

    private final CloudQueue queue;
    private final TencentGs gs;
    private final CloudSessions games;
    private final RepeatingTask rounds;

    public QueueWorker(CloudQueue queue, TencentGs gs, CloudSessions games, Duration tick) {
        this.queue = queue;
        this.games = games;
        // A turn holds the game's lock: rather than wait inside it, the head is tried again next time.
        this.gs = gs.withoutNotReadyRetries();
        this.rounds = new RepeatingTask("cloud-queue", tick, this::runOnce);
    }

    /** One round: expire, then serve every due game. */
    private void runOnce() {
        for (QueuePlace expired : queue.expire()) {
            log.info("Queue place of user {} for {} expired ({})", expired.userId(), expired.pool(), expired.status());
            if (expired.status() == QueuePlace.Status.READY) {
                release(expired.userId());
            }
        }
        for (GsPool pool : queue.poolsDue()) {
            // Released once the turn is over: the turn's transaction must read and hold no table (CloudQueue).
            List<String> abandoned = new ArrayList<>();
            queue.takeTurn(pool, MAX_PLACES_PER_TURN, turn -> serve(turn, abandoned));
            abandoned.forEach(this::release);
        }
    }

    /** Tries the due places in order; adds to {@code abandoned} the users whose place left while GS locked for them. */
    private void serve(CloudQueue.PoolTurn turn, List<String> abandoned) {
        for (QueuePlace place : turn.waiting()) {
            if (place.nextAttemptAt().isAfter(turn.now())) {
                return; // another instance tried the head a moment ago; FIFO means nobody behind it goes first
            }
            try {
                gs.trylockWorker(place.userId(), place.lock(), place.userIp());
            } catch (GsFailure failure) {
                if (failure.isNoIdle() || failure.isTransient() || failure.isNotReady()) {
                    turn.retryLater(place);
                    return;
                }
                log.warn("Queue place of user {} for {} failed: GS answered {}", place.userId(), place.pool(),
                        failure.code());
                turn.failed(place, failure.code());
                continue;
            }
            if (turn.ready(place)) {
                log.info("A worker of {} is locked for queued user {}", place.pool(), place.userId());
            } else {
                abandoned.add(place.userId()); // the player cancelled while GS was locking for them
            }
        }
    }

    /**
     * Frees the worker locked for a place nobody takes. GS's StopGame names only the user: when the user's own start
     * holds their game slot meanwhile (they left the queue and started at once), the lock is that start's, and
     * StopGame would end the game it starts; GS frees a lock no game uses when it times out.
     */
    private void release(String userId) {
        games.releaseLockUnlessStarted(userId, () -> {
            try {
                gs.stopGame(userId);
            } catch (GsFailure failure) {
                log.warn("Could not release the worker locked for user {} ({}); GS frees it when the lock times out",
                        userId, failure.code());
            }
        });
    }

    @Override
    public void start() {
        rounds.start();
    }

    /** Stops scheduling and waits (up to 10 s) for a round in progress, which may be in a GS call. */
    @Override
    public void stop() {
        rounds.stop();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }
}
