package io.playbill.gateway.cloud.stop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.RepeatingTask;
import io.playbill.gateway.cloud.gs.GsFailure;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.ledger.api.events.SessionEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every end of a ledger session stops the cloud game bound to that session: the user stopped, the balance ran out,
 * the session timed out, an operator ended it. Only the game bound to the session is stopped; a game another (paid)
 * session started is left alone, and a session without a cloud game is recorded as {@code no_game}.
 *
 * <p>Nothing is skipped silently: the end is recorded first ({@code cloud_stop}, once per session whatever the
 * redeliveries), then StopGame is tried at once. A stop GS did not confirm is retried with growing pauses by
 * {@link #retryDue()} on every gateway instance, and parked for an operator after {@code maxAttempts}: a metric
 * counts the parked ones and {@code GET /api/admin/cloud/stops?result=parked} lists them.
 */
public final class SessionEndStopper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionEndStopper.class);

    /** How long one attempt may take before another instance may try the same stop. */
    private static final Duration CLAIM = Duration.ofSeconds(60);
    private static final int RETRIES_PER_ROUND = 20;
    private static final int QUEUED_ATTEMPTS = 1_000;

    private final TencentGs gs;
    private final CloudSessions sessions;
    private final StopRecords records;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final Map<StopRecords.Result, Counter> outcomes = new EnumMap<>(StopRecords.Result.class);
    /**
     * Where the attempts run, a few at once: one at a time, a burst of ends (a ledger outage that times out every
     * session) waited GS's answer per game, each game playing on unpaid meanwhile. A full queue makes the caller
     * (the ledger-events listener) attempt the stop itself, which slows its reading down
     * ({@link #runHereUnlessShutDown}).
     */
    private final ThreadPoolExecutor attempts;

    public SessionEndStopper(TencentGs gs, CloudSessions sessions, StopRecords records,
                             TransactionTemplate transactions, Clock clock, int maxAttempts, Duration firstRetryDelay,
                             Duration maxRetryDelay, int concurrency, MeterRegistry meters) {
        this.gs = gs;
        this.sessions = sessions;
        this.records = records;
        this.transactions = transactions;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.attempts = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_ATTEMPTS), RepeatingTask.daemonThreads("cloud-stops"),
                SessionEndStopper::runHereUnlessShutDown);
        for (StopRecords.Result result : StopRecords.Result.values()) {
            outcomes.put(result, Counter.builder("playbill.cloud.stops")
                    .description("Attempts to stop the cloud game of an ended ledger session, by what became of it")
                    .tag("result", result.name().toLowerCase(Locale.ROOT)).register(meters));
        }
        Gauge.builder("playbill.cloud.stops.parked", records, r -> r.count(StopRecords.Result.PARKED))
                .description("Stops GS did not confirm after every retry, waiting for an operator")
                .register(meters);
    }

    void handle(SessionEnded ended) {
        if (ended.userId() == null || ended.session() == null) {
            return;
        }
        String reason = ended.reason() == null ? "unknown" : ended.reason().name().toLowerCase(Locale.ROOT);
        // Recorded here, before the listener commits its offset: the hand-off. Stopped beside the next ends.
        records.recordEnd(ended.userId(), ended.session(), reason, Instant.ofEpochMilli(ended.endedAtMillis()),
                clock.instant().plus(CLAIM)).ifPresent(stop -> attempts.execute(() -> attemptOrLeave(stop)));
    }

    /** The ledger says {@code session} ended: record it (once) and stop its game, waiting for GS's answer. */
    public void sessionEnded(String userId, String session, String reason, Instant endedAt) {
        Optional<StopRecords.StopRecord> recorded = records.recordEnd(userId, session, reason, endedAt,
                clock.instant().plus(CLAIM));
        if (recorded.isEmpty()) {
            log.debug("The end of session {} of user {} was handled before", session, userId);
            return;
        }
        attempt(recorded.get());
    }

    /**
     * {@link #sessionEnded}, with the game stopped by the next round of {@link #retryDue} (every second, on any
     * instance) instead of now: for callers that must not wait for GS.
     */
    public void sessionEndedStopLater(String userId, String session, String reason, Instant endedAt) {
        records.recordEnd(userId, session, reason, endedAt, clock.instant());
    }

    /**
     * One round of retries: every pending stop that is due, on whichever instance claims it first, a few at once.
     * The round ends when they have.
     */
    public void retryDue() {
        Instant now = clock.instant();
        List<Future<?>> round = new ArrayList<>();
        for (StopRecords.StopRecord due : records.claimDue(now, now.plus(CLAIM), RETRIES_PER_ROUND)) {
            round.add(attempts.submit(() -> attemptOrLeave(due)));
        }
        for (Future<?> attempt : round) {
            try {
                attempt.get();
            } catch (ExecutionException e) {
                log.warn("A stop attempt failed unexpectedly", e.getCause());
            } catch (CancellationException e) {
                return; // shutting down: the rest stay pending for the next round, on any instance
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A full queue makes the caller attempt the stop itself. Once shut down, an attempt is not run and its future is
     * cancelled (a round waiting for it moves on): the stop stays pending, claimed by a later round on any instance.
     */
    private static void runHereUnlessShutDown(Runnable attempt, ThreadPoolExecutor executor) {
        if (!executor.isShutdown()) {
            attempt.run();
        } else if (attempt instanceof Future<?> future) {
            future.cancel(false);
        }
    }

    /** {@link #attempt}; a failure leaves the stop pending, to the next instance whose round claims it. */
    private void attemptOrLeave(StopRecords.StopRecord stop) {
        try {
            attempt(stop);
        } catch (RuntimeException e) {
            log.warn("Stopping the cloud game of user {} (session {} ended) failed ({}); tried again in {} s",
                    stop.userId(), stop.session(), e.toString(), CLAIM.toSeconds());
        }
    }

    /**
     * One attempt, holding the user's game slot while GS is asked: GS's StopGame names only the user, so a stop and a
     * new start of the user (which change the slot) wait until this StopGame is answered, and it can never end the
     * game of the user's next session.
     */
    private void attempt(StopRecords.StopRecord stop) {
        transactions.executeWithoutResult(status -> attemptHoldingTheSlot(stop));
    }

    private void attemptHoldingTheSlot(StopRecords.StopRecord stop) {
        if (!records.holdPending(stop)) {
            return; // another copy of this stop, claimed again after its claim lapsed, has settled it
        }
        if (!sessions.holdIfBound(stop.userId(), stop.session())) {
            finish(stop, StopRecords.Result.NO_GAME, null);
            return;
        }
        try {
            String requestId = gs.stopGame(stop.userId());
            sessions.release(stop.userId(), stop.session());
            finish(stop, StopRecords.Result.STOPPED, requestId);
        } catch (GsFailure failure) {
            int attempts = stop.attempts() + 1;
            String error = failure.action() + ": " + failure.code();
            if (attempts >= maxAttempts) {
                records.failed(stop, error, null);
                outcomes.get(StopRecords.Result.PARKED).increment();
                log.error("Could not stop the cloud game of user {} (session {} ended, {}) after {} attempts: {}."
                        + " Parked for an operator.", stop.userId(), stop.session(), stop.reason(), attempts, error);
            } else {
                Instant next = clock.instant().plus(retryDelay(attempts));
                records.failed(stop, error, next);
                outcomes.get(StopRecords.Result.PENDING).increment();
                log.warn("Could not stop the cloud game of user {} (session {} ended, {}): {}; attempt {} of {} at {}",
                        stop.userId(), stop.session(), stop.reason(), error, attempts + 1, maxAttempts, next);
            }
        }
    }

    private void finish(StopRecords.StopRecord stop, StopRecords.Result result, String gsRequestId) {
        Instant now = clock.instant();
        records.finished(stop, result, gsRequestId, now);
        outcomes.get(result).increment();
        log.info("Ledger ended session {} of user {} ({}, at {}): cloud game {} {} ms after the end",
                stop.session(), stop.userId(), stop.reason(), stop.ledgerEventAt(),
                result.name().toLowerCase(Locale.ROOT), Duration.between(stop.ledgerEventAt(), now).toMillis());
    }

    /** Stops taking attempts and waits a little for those under way; the rest stay pending for the next round. */
    @Override
    public void close() {
        attempts.shutdown();
        try {
            if (!attempts.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Stop attempts still under way at shutdown are left pending for another instance");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** firstRetryDelay, doubled per failed attempt, at most maxRetryDelay. */
    private Duration retryDelay(int failedAttempts) {
        Duration delay = firstRetryDelay.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
