package io.playbill.gsemulator;

import java.time.Instant;
import java.util.List;

/** A consistent picture of the emulator, as {@code GET /_emulator/state} shows it. */
public record EmulatorState(List<Pool> pools, List<Lock> locks, List<Session> sessions, List<Stopping> stopping,
                            List<Fault> faults, List<JournalEntry> journal) {

    /**
     * The workers a game has in one region, once the game has been asked for: {@code idle} can be locked,
     * {@code stopping} are still ending a stopped session.
     */
    public record Pool(String gameId, String gameRegion, int size, int idle, int stopping) {
    }

    /**
     * A worker locked by TrylockWorker, waiting for CreateSession until {@code expiresAt}. {@code gameRegion} is where
     * the worker is; {@code requestedRegion} what TrylockWorker asked for ("" for none), {@code requestedGroup} the
     * GroupId it named ("" for none; recorded, not used to choose the worker).
     */
    public record Lock(String userId, String gameId, String gameRegion, String requestedRegion, String requestedGroup,
                       String workerId, Instant lockedAt, Instant expiresAt) {
    }

    /** A worker running a game since CreateSession, until StopGame. */
    public record Session(String userId, String gameId, String gameRegion, String requestedRegion,
                          String requestedGroup, String workerId, Instant startedAt) {
    }

    /** A worker whose session StopGame ended, busy until {@code until}; its user is answered Stopping meanwhile. */
    public record Stopping(String userId, String gameId, String gameRegion, String workerId, Instant until) {
    }

    /**
     * An injected error still to be answered {@code remaining} more times for {@code action}, to the calls of
     * {@code userId} only, or to anyone's when it is null.
     */
    public record Fault(String action, String userId, String code, int remaining) {
    }
}
