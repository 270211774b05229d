package io.playbill.gateway.cloud.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.RepeatingTask;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.SessionEndStopper;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The token heartbeat for clients that have none (Tencent's TCGSDK and the v1/v2 demo paths): while the gateway holds
 * such a game as running, it renews the game's session the way the SDK would, when the played time passes the
 * deadline minus {@value #SDK_RENEW_LEAD_SECONDS} s, with the receive time of its own renew. The ledger bills it like
 * any session (the same under/over-bill bounds) and ends it when the balance runs out, which stops the game.
 *
 * <p>GS has no API that tells whether a user's game still runs, so a game counts as running from CreateSession until
 * a stop (the client's, an operator's, the ledger's end of its session). A client that vanishes without stopping is
 * billed until its balance runs out or {@code maxPlaytime} passes, whichever comes first: then the gateway ends the
 * session and the stop of its game follows. Renews are claimed per game through the database, so every gateway
 * instance shares the work and a crashed instance's games are renewed by the others.
 */
public final class ServerHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerHeartbeat.class);

    /** The SDK renews once the played time is past the deadline minus this (token-spec §4). */
    static final long SDK_RENEW_LEAD_SECONDS = 30;
    /** A renew without an answer is tried again this much later (the ledger's own time-out is a few seconds). */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final Duration CLAIM = Duration.ofSeconds(30);
    private static final int RENEWS_PER_ROUND = 500;

    private final CloudSessions games;
    private final CloudBilling billing;
    private final SessionEndStopper stopper;
    private final Clock clock;
    private final Duration minRenewInterval;
    private final Duration maxPlaytime;
    private final Counter renewed;
    private final Counter failed;
    /**
     * Where a renew's answer is acted on: not the ledger's reply thread, which completes the renew's future and would
     * otherwise wait for the database here, and every other reply of the instance behind it.
     */
    private final ExecutorService answers =
            Executors.newSingleThreadExecutor(RepeatingTask.daemonThreads("cloud-heartbeat-answers"));

    public ServerHeartbeat(CloudSessions games, CloudBilling billing, SessionEndStopper stopper, Clock clock,
                           Duration minRenewInterval, Duration maxPlaytime, MeterRegistry meters) {
        this.games = games;
        this.billing = billing;
        this.stopper = stopper;
        this.clock = clock;
        this.minRenewInterval = minRenewInterval;
        this.maxPlaytime = maxPlaytime;
        this.renewed = Counter.builder("playbill.cloud.heartbeat.renews").tag("outcome", "renewed")
                .description("Renews the gateway sent for games without the token heartbeat").register(meters);
        this.failed = Counter.builder("playbill.cloud.heartbeat.renews").tag("outcome", "failed")
                .description("Renews the gateway sent for games without the token heartbeat").register(meters);
    }

    /** The game of a gateway-renewed session started at {@code t0} with {@code deadline}: renew it from now on. */
    public void started(String userId, String session, Instant t0, long deadline) {
        games.heartbeat(userId, session, t0, deadline, nextRenew(t0, deadline, clock.instant(), minRenewInterval));
    }

    /** One round: renew every game whose renew is due, on whichever instance claims it first. */
    public void renewDue() {
        Instant now = clock.instant();
        for (CloudSessions.Binding game : games.claimDueRenews(now, now.plus(CLAIM), RENEWS_PER_ROUND)) {
            renew(game, now);
        }
    }

    private void renew(CloudSessions.Binding game, Instant now) {
        if (game.firstRenewAt() == null || game.deadline() == null) {
            return; // its first renew has not been recorded yet; the start does that
        }
        if (game.firstRenewAt().plus(maxPlaytime).isBefore(now)) {
            log.info("The cloud game of user {} ran {} without a stop: ending session {}", game.userId(), maxPlaytime,
                    game.session());
            // Not waited for: an unanswered end must not hold up the round's other renews. Asked again in CLAIM
            // until the session's end stops the game and releases it.
            billing.closeLater(game.userId(), game.session(), now.toEpochMilli()).whenComplete((ended, failure) -> {
                if (failure != null) {
                    log.warn("Ending session {} of user {} failed ({}); trying again in {} s", game.session(),
                            game.userId(), failure.toString(), CLAIM.toSeconds());
                }
            });
            games.renewLater(game.userId(), game.session(), now.plus(CLAIM));
            return;
        }
        billing.renew(game.userId(), game.session(), game.deadline(), now.toEpochMilli())
                .whenCompleteAsync((deadline, failure) -> {
                    if (failure == null) {
                        renewed.increment();
                        games.heartbeat(game.userId(), game.session(), game.firstRenewAt(), deadline,
                                nextRenew(game.firstRenewAt(), deadline, clock.instant(), minRenewInterval));
                    } else {
                        failed.increment();
                        answerTo(game, CloudBilling.failureOf(failure));
                    }
                }, answers);
    }

    private void answerTo(CloudSessions.Binding game, Throwable failure) {
        if (failure instanceof ApiException refused && "session_not_found".equals(refused.code())) {
            // The ledger ended the session (its end is on its way to the stopper too): its game is stopped by the
            // stopper's next round, not here, where GS's retries would hold up the other games' answers.
            stopper.sessionEndedStopLater(game.userId(), game.session(), "ended", clock.instant());
            return;
        }
        log.warn("Renew of session {} of user {} failed ({}); trying again in {} s", game.session(), game.userId(),
                failure.toString(), RETRY_AFTER.toSeconds());
        games.renewLater(game.userId(), game.session(), clock.instant().plus(RETRY_AFTER));
    }

    /** When the SDK would renew: the played time at deadline minus the lead, but never sooner than the least pause. */
    static Instant nextRenew(Instant t0, long deadline, Instant now, Duration minRenewInterval) {
        Instant sdkWouldAsk = t0.plusSeconds(Math.max(deadline - SDK_RENEW_LEAD_SECONDS, 0));
        Instant earliest = now.plus(minRenewInterval);
        return sdkWouldAsk.isAfter(earliest) ? sdkWouldAsk : earliest;
    }

    @Override
    public void close() {
        answers.shutdown();
    }
}
