package io.playbill.gateway.cloud.stop;

import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Stops the cloud game of a user whose ledger session ended because the balance ran out or the session timed out,
 * and records the decision in {@code cloud_stop}. The SDK would stop the game by itself once renew tokens stop, up
 * to 30 s later; stopping at once frees the worker and ends unpaid playtime.
 *
 * <p>Idempotent: an event seen before (the publisher delivers at least once) is skipped. An event older than
 * {@code maxEventAge}, or one that ended before the user's latest game started, is recorded but not acted on: the
 * user may be playing a newer, paid-for game.
 */
public final class SessionEndStopper {

    private static final Logger log = LoggerFactory.getLogger(SessionEndStopper.class);
    private static final Set<SessionEndReason> STOPPING = Set.of(SessionEndReason.BALANCE_EXHAUSTED,
            SessionEndReason.TIMED_OUT);

    private final TencentGs gs;
    private final CloudSessions sessions;
    private final StopRecords records;
    private final Clock clock;
    private final Duration maxEventAge;

    public SessionEndStopper(TencentGs gs, CloudSessions sessions, JdbcTemplate jdbc,
                             Clock clock, Duration maxEventAge) {
        this.gs = gs;
        this.sessions = sessions;
        this.records = new StopRecords(jdbc);
        this.clock = clock;
        this.maxEventAge = maxEventAge;
    }

    void handle(SessionEnded ended) {
        // An unknown (newer) reason reads as null; Set.of(...).contains(null) would throw.
        if (ended.reason() == null || !STOPPING.contains(ended.reason()) || ended.userId() == null
                || ended.session() == null) {
            return;
        }
        if (records.exists(ended.userId(), ended.session())) {
            log.debug("Session {} of user {} was handled before", ended.session(), ended.userId());
            return;
        }
        Instant endedAt = Instant.ofEpochMilli(ended.endedAtMillis());
        String reason = ended.reason().name().toLowerCase(Locale.ROOT);
        String result;
        String requestId = null;
        if (endedAt.plus(maxEventAge).isBefore(clock.instant())) {
            result = "skipped_stale";
        } else if (sessions.startedAt(ended.userId()).filter(started -> started.isAfter(endedAt)).isPresent()) {
            result = "skipped_newer_game";
        } else {
            try {
                requestId = gs.stopGame(ended.userId());
                sessions.stoppedIfStartedBy(ended.userId(), endedAt);
                result = "stopped";
            } catch (GsFailure failure) {
                result = "failed:" + failure.code();
                requestId = failure.requestId();
            }
        }
        Instant stoppedAt = clock.instant();
        records.record(new StopRecords.StopRecord(ended.userId(), ended.session(), reason, endedAt, stoppedAt, result,
                requestId));
        log.info("Ledger ended session {} of user {} ({}, at {}): cloud game {}", ended.session(), ended.userId(),
                reason, endedAt, result);
    }
}
