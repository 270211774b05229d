package io.playbill.gsemulator;

import java.time.Instant;
import java.util.List;

/** A consistent picture of the emulator, as {@code GET /_emulator/state} shows it. */
public record EmulatorState(List<Pool> pools, List<Lock> locks, List<Session> sessions, List<Fault> faults,
                            List<JournalEntry> journal) {

    /** A (GameId, GameRegion) pool that has been used; GameRegion is "" when the calls named none. */
    public record Pool(String gameId, String gameRegion, int size, int idle) {
    }

    /** A worker locked by TrylockWorker, waiting for CreateSession until {@code expiresAt}. */
    public record Lock(String userId, String gameId, String gameRegion, String workerId, Instant lockedAt,
                       Instant expiresAt) {
    }

    /** A worker running a game since CreateSession, until StopGame. */
    public record Session(String userId, String gameId, String gameRegion, String workerId, Instant startedAt) {
    }

    /** An injected error still to be answered {@code remaining} more times for {@code action}. */
    public record Fault(String action, String code, int remaining) {
    }
}
