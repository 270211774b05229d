package io.playbill.gsemulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The workers of each (GameId, GameRegion) pool and what each user holds.
 *
 * <p>A user holds at most one worker, because StopGame names only the user. TrylockWorker gives the user a lock,
 * which expires after the lock timeout unless CreateSession turns it into a running session; StopGame frees
 * either. Expired locks are swept at the start of every operation, so time only has to come from the clock.
 *
 * <p>One monitor guards everything: each operation is a few map look-ups.
 */
final class WorkerPools {

    record PoolKey(String gameId, String gameRegion) {
    }

    private enum Stage { LOCKED, RUNNING }

    /** {@code since} is when the lock was taken or the session started; {@code expiresAt} is null once running. */
    private record Holding(String userId, PoolKey pool, int slot, Stage stage, Instant since, Instant expiresAt) {

        String workerId() {
            return pool.gameId() + ":" + pool.gameRegion() + ":" + (slot + 1);
        }
    }

    /** What the pools look like at one instant. */
    record Snapshot(List<EmulatorState.Pool> pools, List<EmulatorState.Lock> locks,
                    List<EmulatorState.Session> sessions) {
    }

    private final GsEmulatorConfig config;
    /** Per pool, the user holding each worker (null when idle). */
    private final Map<PoolKey, String[]> workers = new LinkedHashMap<>();
    private final Map<String, Holding> holdings = new LinkedHashMap<>();

    WorkerPools(GsEmulatorConfig config) {
        this.config = config;
    }

    /** Locks an idle worker for the user; a user who already holds one in this pool keeps it (a lock is renewed). */
    synchronized void trylock(String userId, PoolKey pool) {
        Instant now = sweepExpiredLocks();
        Holding held = holdings.get(userId);
        if (held != null) {
            if (!held.pool().equals(pool)) {
                throw new GsApiException("FailedOperation", "User " + userId + " already holds worker "
                        + held.workerId() + "; call StopGame before locking another game.");
            }
            if (held.stage() == Stage.LOCKED) {
                holdings.put(userId, new Holding(userId, pool, held.slot(), Stage.LOCKED, now,
                        now.plus(config.lockTimeout())));
            }
            return;
        }
        String[] holders = workers.computeIfAbsent(pool, p -> new String[config.workersFor(p.gameId())]);
        int idle = Arrays.asList(holders).indexOf(null);
        if (idle < 0) {
            throw new GsApiException("ResourceNotFound.NoIdle", "No idle worker for game " + pool.gameId()
                    + " in region '" + pool.gameRegion() + "' (" + holders.length + " workers, all busy).");
        }
        holders[idle] = userId;
        holdings.put(userId, new Holding(userId, pool, idle, Stage.LOCKED, now, now.plus(config.lockTimeout())));
    }

    /** Starts (or, for a reconnecting client, keeps) the user's session on the worker it locked; returns its id. */
    synchronized String createSession(String userId, PoolKey pool) {
        Instant now = sweepExpiredLocks();
        Holding held = holdings.get(userId);
        if (held == null || !held.pool().equals(pool)) {
            throw new GsApiException("FailedOperation.LockTimeout", "No worker is locked for user " + userId
                    + " on game " + pool.gameId() + " in region '" + pool.gameRegion()
                    + "': call TrylockWorker first; locks expire after " + config.lockTimeout() + ".");
        }
        if (held.stage() == Stage.LOCKED) {
            holdings.put(userId, new Holding(userId, pool, held.slot(), Stage.RUNNING, now, null));
        }
        return held.workerId();
    }

    /** Frees whatever the user holds; nothing to free is fine, as the real service is tolerant. */
    synchronized void stop(String userId) {
        sweepExpiredLocks();
        Holding held = holdings.remove(userId);
        if (held != null) {
            free(held);
        }
    }

    synchronized Snapshot snapshot() {
        sweepExpiredLocks();
        List<EmulatorState.Pool> pools = new ArrayList<>();
        workers.forEach((key, holders) -> pools.add(new EmulatorState.Pool(key.gameId(), key.gameRegion(),
                holders.length, (int) Arrays.stream(holders).filter(Objects::isNull).count())));
        List<EmulatorState.Lock> locks = new ArrayList<>();
        List<EmulatorState.Session> sessions = new ArrayList<>();
        for (Holding h : holdings.values()) {
            if (h.stage() == Stage.LOCKED) {
                locks.add(new EmulatorState.Lock(h.userId(), h.pool().gameId(), h.pool().gameRegion(), h.workerId(),
                        h.since(), h.expiresAt()));
            } else {
                sessions.add(new EmulatorState.Session(h.userId(), h.pool().gameId(), h.pool().gameRegion(),
                        h.workerId(), h.since()));
            }
        }
        return new Snapshot(List.copyOf(pools), List.copyOf(locks), List.copyOf(sessions));
    }

    synchronized void clear() {
        workers.clear();
        holdings.clear();
    }

    /** Frees the workers of locks whose time is up; returns the clock's now for the caller to use. */
    private Instant sweepExpiredLocks() {
        Instant now = config.clock().instant();
        for (Iterator<Holding> it = holdings.values().iterator(); it.hasNext(); ) {
            Holding h = it.next();
            if (h.stage() == Stage.LOCKED && !now.isBefore(h.expiresAt())) {
                it.remove();
                free(h);
            }
        }
        return now;
    }

    private void free(Holding held) {
        workers.get(held.pool())[held.slot()] = null;
    }
}
