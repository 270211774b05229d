package io.playbill.gsemulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workers of each game, spread over regions, and what each user holds.
 *
 * <p>A user holds at most one worker, because StopGame names only the user; so CreateSession finds the user's lock
 * by UserId alone. TrylockWorker gives the user a lock, which lapses after the lock timeout unless CreateSession
 * turns it into a running session. StopGame frees a lock at once, while a running session's worker stays busy for
 * the stopping window, during which its user is answered {@code UnsupportedOperation.Stopping}. Lapsed locks and
 * ended stopping windows are swept at the start of every operation, so time only has to come from the clock.
 *
 * <p>One monitor guards everything: each operation is a few map look-ups and one scan of a game's workers.
 */
final class WorkerPools {

    /** Lapsed locks remembered for CreateSession's answer; bounded because users who never return are forgotten. */
    private static final int LAPSED_LOCKS_KEPT = 10_000;

    /** One worker: slot {@code slot} of a game's workers in {@code region}. */
    record Worker(String gameId, String region, int slot) {

        String id() {
            return gameId + ":" + region + ":" + (slot + 1);
        }
    }

    private enum Stage { LOCKED, RUNNING }

    /** {@code since} is when the lock was taken or the session started; {@code expiresAt} is null once running. */
    private record Holding(String userId, Worker worker, String requestedRegion, String requestedGroup, Stage stage,
                           Instant since, Instant expiresAt) {
    }

    private record Stopping(String userId, Worker worker, Instant until) {
    }

    /** What the pools look like at one instant. */
    record Snapshot(List<EmulatorState.Pool> pools, List<EmulatorState.Lock> locks,
                    List<EmulatorState.Session> sessions, List<EmulatorState.Stopping> stopping) {
    }

    private final GsEmulatorConfig config;
    /** Per game asked for so far, its workers: region by region in the configured order, slot by slot. */
    private final Map<String, List<Worker>> workersByGame = new LinkedHashMap<>();
    /** Workers held by a user or still stopping; every other worker is idle. */
    private final Set<Worker> busy = new HashSet<>();
    private final Map<String, Holding> holdings = new LinkedHashMap<>();
    private final Map<String, Stopping> stopping = new LinkedHashMap<>();
    /** By user, the worker of their last lock that lapsed, oldest first. */
    private final Map<String, Worker> lapsedLocks = new LinkedHashMap<>();

    WorkerPools(GsEmulatorConfig config) {
        this.config = config;
        config.workersByGame().keySet().forEach(this::workersOf); // placed games show in the state from the start
    }

    /**
     * Locks an idle worker of the game for the user: one in {@code preferredRegion} if there is one, else one in any
     * region. A user who already holds a worker of this game keeps it (a lock is renewed).
     */
    synchronized void trylock(String userId, String gameId, String preferredRegion, String group) {
        Instant now = sweep();
        refuseWhileStopping(userId);
        Holding held = holdings.get(userId);
        if (held != null) {
            if (!held.worker().gameId().equals(gameId)) {
                throw new GsApiException("FailedOperation", "User " + userId + " already holds worker "
                        + held.worker().id() + "; call StopGame before locking another game.");
            }
            if (held.stage() == Stage.LOCKED) {
                holdings.put(userId, new Holding(userId, held.worker(), preferredRegion, group, Stage.LOCKED, now,
                        now.plus(config.lockTimeout())));
            }
            return;
        }
        Worker worker = idleWorker(gameId, preferredRegion).orElseThrow(() -> new GsApiException(
                "ResourceNotFound.NoIdle", "No idle worker for game " + gameId + " in any region ("
                + workersOf(gameId).size() + " workers, all busy)."));
        busy.add(worker);
        lapsedLocks.remove(userId);
        holdings.put(userId, new Holding(userId, worker, preferredRegion, group, Stage.LOCKED, now,
                now.plus(config.lockTimeout())));
    }

    /**
     * Starts (or, for a reconnecting client, keeps) the session of the worker the user locked, found by UserId alone;
     * returns the worker's id.
     */
    synchronized String createSession(String userId) {
        Instant now = sweep();
        refuseWhileStopping(userId);
        Holding held = holdings.get(userId);
        if (held == null) {
            Worker lapsed = lapsedLocks.get(userId);
            if (lapsed != null && busy.contains(lapsed)) {
                throw new GsApiException("ResourceNotFound.NoIdle", "The lock of user " + userId + " on worker "
                        + lapsed.id() + " lapsed after " + config.lockTimeout()
                        + " and the worker is busy again; call TrylockWorker for another one.");
            }
            throw new GsApiException("FailedOperation.LockTimeout", "No worker is locked for user " + userId
                    + ": call TrylockWorker first; locks lapse after " + config.lockTimeout() + ".");
        }
        if (held.stage() == Stage.LOCKED) {
            holdings.put(userId, new Holding(userId, held.worker(), held.requestedRegion(), held.requestedGroup(),
                    Stage.RUNNING, now, null));
        }
        return held.worker().id();
    }

    /**
     * Frees whatever the user holds; nothing to free is fine, as the real service is tolerant. A running session's
     * worker stays busy for the stopping window.
     */
    synchronized void stop(String userId) {
        Instant now = sweep();
        lapsedLocks.remove(userId);
        Holding held = holdings.remove(userId);
        if (held == null) {
            return;
        }
        if (held.stage() == Stage.RUNNING && !config.stoppingWindow().isZero()) {
            stopping.put(userId, new Stopping(userId, held.worker(), now.plus(config.stoppingWindow())));
        } else {
            busy.remove(held.worker());
        }
    }

    synchronized Snapshot snapshot() {
        sweep();
        Set<Worker> stoppingWorkers = new HashSet<>();
        stopping.values().forEach(s -> stoppingWorkers.add(s.worker()));
        Map<List<String>, int[]> counts = new LinkedHashMap<>(); // (game, region) -> size, idle, stopping
        workersByGame.values().forEach(workers -> workers.forEach(w -> {
            int[] count = counts.computeIfAbsent(List.of(w.gameId(), w.region()), k -> new int[3]);
            count[0]++;
            count[1] += busy.contains(w) ? 0 : 1;
            count[2] += stoppingWorkers.contains(w) ? 1 : 0;
        }));
        List<EmulatorState.Pool> pools = new ArrayList<>();
        counts.forEach((key, count) -> pools.add(new EmulatorState.Pool(key.get(0), key.get(1), count[0], count[1],
                count[2])));
        List<EmulatorState.Lock> locks = new ArrayList<>();
        List<EmulatorState.Session> sessions = new ArrayList<>();
        for (Holding h : holdings.values()) {
            Worker w = h.worker();
            if (h.stage() == Stage.LOCKED) {
                locks.add(new EmulatorState.Lock(h.userId(), w.gameId(), w.region(), h.requestedRegion(),
                        h.requestedGroup(), w.id(), h.since(), h.expiresAt()));
            } else {
                sessions.add(new EmulatorState.Session(h.userId(), w.gameId(), w.region(), h.requestedRegion(),
                        h.requestedGroup(), w.id(), h.since()));
            }
        }
        List<EmulatorState.Stopping> stops = stopping.values().stream().map(s -> new EmulatorState.Stopping(
                s.userId(), s.worker().gameId(), s.worker().region(), s.worker().id(), s.until())).toList();
        return new Snapshot(List.copyOf(pools), List.copyOf(locks), List.copyOf(sessions), stops);
    }

    /** Frees every worker and forgets every game that was not placed by the config, as if just started. */
    synchronized void clear() {
        workersByGame.clear();
        busy.clear();
        holdings.clear();
        stopping.clear();
        lapsedLocks.clear();
        config.workersByGame().keySet().forEach(this::workersOf);
    }

    private void refuseWhileStopping(String userId) {
        Stopping stop = stopping.get(userId);
        if (stop != null) {
            throw new GsApiException("UnsupportedOperation.Stopping", "The game of user " + userId + " on worker "
                    + stop.worker().id() + " is still stopping, until " + stop.until() + "; try again then.");
        }
    }

    /** An idle worker of the game in {@code preferredRegion}, else in the first region that has one. */
    private Optional<Worker> idleWorker(String gameId, String preferredRegion) {
        List<Worker> workers = workersOf(gameId);
        Optional<Worker> preferred = workers.stream()
                .filter(w -> w.region().equals(preferredRegion) && !busy.contains(w)).findFirst();
        return preferred.isPresent() ? preferred : workers.stream().filter(w -> !busy.contains(w)).findFirst();
    }

    private List<Worker> workersOf(String gameId) {
        return workersByGame.computeIfAbsent(gameId, game -> {
            List<Worker> workers = new ArrayList<>();
            config.placementOf(game).forEach((region, count) -> {
                for (int slot = 0; slot < count; slot++) {
                    workers.add(new Worker(game, region, slot));
                }
            });
            return List.copyOf(workers);
        });
    }

    private void rememberLapsedLock(Holding lapsed) {
        lapsedLocks.remove(lapsed.userId());
        lapsedLocks.put(lapsed.userId(), lapsed.worker());
        if (lapsedLocks.size() > LAPSED_LOCKS_KEPT) {
            Iterator<String> oldest = lapsedLocks.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Ends lapsed locks and finished stopping windows; returns the clock's now for the caller to use. */
    private Instant sweep() {
        Instant now = config.clock().instant();
        for (Iterator<Holding> it = holdings.values().iterator(); it.hasNext(); ) {
            Holding h = it.next();
            if (h.stage() == Stage.LOCKED && !now.isBefore(h.expiresAt())) {
                it.remove();
                busy.remove(h.worker());
                rememberLapsedLock(h);
            }
        }
        for (Iterator<Stopping> it = stopping.values().iterator(); it.hasNext(); ) {
            Stopping s = it.next();
            if (!now.isBefore(s.until())) {
                it.remove();
                busy.remove(s.worker());
            }
        }
        return now;
    }
}
