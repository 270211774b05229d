package io.playbill.query.replay;

import java.time.Instant;

/**
 * A projection's replay.
 *
 * @param status          {@code idle} (never replayed), {@code running}, {@code swapping} (rebuilt, putting the new
 *                        tables in place), {@code completed} or {@code failed}
 * @param eventsDone      topic records the rebuild has processed
 * @param eventsTotal     topic records when the replay started (the rebuild is complete once it has all of them)
 * @param eventsPerSecond the current rate while running; the average once completed
 * @param etaSeconds      estimated seconds to completion while running, else null
 */
public record ReplayStatusView(String projection, String status, Instant startedAt, Instant finishedAt,
                               long eventsDone, long eventsTotal, double eventsPerSecond, Long etaSeconds,
                               String error) {

    static ReplayStatusView idle(String projection) {
        return new ReplayStatusView(projection, "idle", null, null, 0, 0, 0, null, null);
    }

    static ReplayStatusView of(ReplayState state) {
        Long eta = null;
        long left = Math.max(0, state.eventsTotal() - state.eventsDone());
        if (state.unfinished() && left == 0) {
            eta = 0L;
        } else if (state.unfinished() && state.eventsPerSecond() > 0) {
            eta = (long) Math.ceil(left / state.eventsPerSecond());
        }
        return new ReplayStatusView(state.projection(), state.status(), state.startedAt(), state.finishedAt(),
                state.eventsDone(), state.eventsTotal(), Math.round(state.eventsPerSecond() * 10) / 10.0, eta,
                state.error());
    }
}
