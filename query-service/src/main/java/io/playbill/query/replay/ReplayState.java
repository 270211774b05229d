package io.playbill.query.replay;

import java.time.Instant;
import java.util.Map;

/**
 * A replay as recorded in {@code projection_replay}.
 *
 * @param status        {@value #RUNNING}, {@value #SWAPPING}, {@value #COMPLETED} or {@value #FAILED}
 * @param startOffsets  partition → first offset when the replay started
 * @param targetOffsets partition → next offset when the replay started: the rebuild is complete once it has every
 *                      record before these
 * @param positions     partition → next offset to rebuild from; committed with the shadow rows
 * @param owner         the instance rebuilding, while its claim lasts
 */
record ReplayState(String projection, String status, Instant startedAt, Instant finishedAt, long eventsTotal,
                   long eventsDone, double eventsPerSecond, Map<Integer, Long> startOffsets,
                   Map<Integer, Long> targetOffsets, Map<Integer, Long> positions, String owner,
                   Instant claimedUntil, String error) {

    static final String RUNNING = "running";
    static final String SWAPPING = "swapping";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    ReplayState {
        startOffsets = Map.copyOf(startOffsets);
        targetOffsets = Map.copyOf(targetOffsets);
        positions = Map.copyOf(positions);
    }

    boolean unfinished() {
        return RUNNING.equals(status) || SWAPPING.equals(status);
    }
}
