package io.playbill.gateway.cloud.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.RepeatingTask;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Games that run while the session paying for them never started billing. A start marks its game running, then asks
 * the ledger to start the session (and, for a session the gateway renews, renews it the first time); an instance that
 * died between the two left a game nothing renews, which would play unpaid until the session's authorization timed
 * out. Every instance looks for such games once the start's own ledger calls would have been answered or timed out
 * ({@code grace}), and starts their billing now, or has the game stopped when the ledger refuses (the session ended
 * or expired meanwhile, or its balance cannot pay). Each game is claimed by one instance at a time.
 */
public final class BillingCatchUp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BillingCatchUp.class);

    private static final int STARTS_PER_ROUND = 100;

    private final CloudSessions games;
    private final CloudBilling billing;
    private final ServerHeartbeat heartbeat;
    private final StopRecords stops;
    private final Clock clock;
    private final Duration grace;
    private final Counter started;
    private final Counter stopped;
    /** Where an answer is acted on: not the ledger's reply thread, which would wait for the database here. */
    private final ExecutorService answers =
            Executors.newSingleThreadExecutor(RepeatingTask.daemonThreads("cloud-billing-catch-up"));

    /** @param grace how long after its game's start a start's own ledger calls may still be under way */
    public BillingCatchUp(CloudSessions games, CloudBilling billing, ServerHeartbeat heartbeat,
                          StopRecords stops, Clock clock, Duration grace, MeterRegistry meters) {
        this.games = games;
        this.billing = billing;
        this.heartbeat = heartbeat;
        this.stops = stops;
        this.clock = clock;
        this.grace = grace;
        this.started = Counter.builder("playbill.cloud.billing.catch-ups").tag("outcome", "started")
                .description("Running cloud games whose billing their start left unstarted").register(meters);
        this.stopped = Counter.builder("playbill.cloud.billing.catch-ups").tag("outcome", "stopped")
                .description("Running cloud games whose billing their start left unstarted").register(meters);
    }

    /**
     * The grace for starts whose ledger calls time out after {@code ledgerTimeout}: a start asks up to two in a row
     * (the session's start and the gateway's first renew), and a few seconds for the database around them.
     */
    public static Duration graceFor(Duration ledgerTimeout) {
        return ledgerTimeout.multipliedBy(2).plusSeconds(5);
    }

    /** One round: every game left unbilled longer than the grace, on whichever instance claims it first. */
    public void catchUp() {
        Instant now = clock.instant();
        // Claimed for the grace, which outlasts this instance's own two ledger calls: a start without an answer is
        // tried again when its claim lapses.
        for (CloudSessions.Binding game : games.claimUnbilled(now.minus(grace), now, now.plus(grace),
                STARTS_PER_ROUND)) {
            try {
                start(game, now);
            } catch (RuntimeException e) {
                // The round's other games go on; this one is tried again when its claim lapses.
                log.warn("Starting the billing of session {} of user {} failed ({}); trying again in {} s",
                        game.session(), game.userId(), e.toString(), grace.toSeconds());
            }
        }
    }

    private void start(CloudSessions.Binding game, Instant now) {
        String userId = game.userId();
        String session = game.session();
        long at = now.toEpochMilli();
        log.warn("The cloud game of user {} runs since {} but session {} never started billing: starting it now",
                userId, game.startedAt(), session);
        // Billed from now, as a reconnect would: from the game's start, the session would be past its first deadline
        // at once. Each answer is acted on here, never on the ledger's reply thread, which every reply waits for.
        CompletableFuture<Void> billed = billing.startSessionLater(userId, session, at).thenComposeAsync(started -> {
            if (game.billing() != CloudSessions.Billing.SERVER) {
                games.billingStarted(userId, session);
                return CompletableFuture.completedFuture(null);
            }
            return billing.renew(userId, session, 0, at).thenAcceptAsync(deadline -> {
                heartbeat.started(userId, session, now, deadline);
                if (!boundTo(userId, session)) {
                    // A stop released the game while the ledger answered: nothing renews this session now.
                    billing.closeLater(userId, session, clock.millis());
                }
            }, answers);
        }, answers);
        billed.whenCompleteAsync((done, failure) -> {
            if (failure == null) {
                started.increment();
                return;
            }
            try {
                refusedOrLater(game, CloudBilling.failureOf(failure), now);
            } catch (RuntimeException e) {
                log.warn("Handing the cloud game of user {} to the stopper failed ({}); trying again in {} s",
                        userId, e.toString(), grace.toSeconds());
            }
        }, answers);
    }

    private boolean boundTo(String userId, String session) {
        return games.of(userId).filter(game -> session.equals(game.session())).isPresent();
    }

    private void refusedOrLater(CloudSessions.Binding game, Throwable failure, Instant now) {
        if (failure instanceof ApiException refused && refused.status().is4xxClientError()) {
            log.warn("The ledger refused to start billing session {} of user {} ({}): stopping its cloud game",
                    game.session(), game.userId(), refused.code());
            stopped.increment();
            // Pending again even if a stop of the session finished before (an end the stopper met before the game
            // was bound): the stopper's next round, on any instance, stops the game.
            stops.stopAgain(game.userId(), game.session(), now, now);
            // Nothing more to start: the stopper has the game. The session ends too, as a stop ends it, whoever's it
            // is: its end recorded, a later start of it would have its game stopped.
            games.billingStarted(game.userId(), game.session());
            billing.closeLater(game.userId(), game.session(), now.toEpochMilli());
            return;
        }
        log.warn("Starting the billing of session {} of user {} failed ({}); trying again in {} s", game.session(),
                game.userId(), failure.toString(), grace.toSeconds());
    }

    @Override
    public void close() {
        answers.shutdown();
    }
}
