package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.Jwts;
import io.playbill.infra.loadgen.client.TokenSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One player whose client behaves exactly like the cloud-gaming SDK (token-spec §4):
 * <ol>
 *   <li>(top-up through the admin API, when asked), authToken, a short queue, startToken;</li>
 *   <li>a few seconds after the game starts, the first renewToken with {@code lastDeadline} 0 — playTime counts
 *       from receiving it;</li>
 *   <li>a new renewToken as soon as {@code playTime > deadline - 30}; a renew that does not extend the deadline
 *       (balance exhausted) is asked again every {@value #REASK_SECONDS} s;</li>
 *   <li>the game ends when playTime reaches the deadline held (no new token in the last 30 s) or the player's
 *       chosen play length, whichever comes first; then the client calls stop. A renew in flight then is not
 *       retried any more (the gateway would bill a retry received later as played), and the player finishes
 *       only once it is answered, so its outcome covers every receive time the ledger can have billed.</li>
 * </ol>
 * Everything is driven by timers and response callbacks, never by a waiting thread. State changes are
 * {@code synchronized}: a player's timer and its HTTP callbacks may run on different threads.
 *
 * <p>The play is timed twice: by elapsed time (the SDK's playTime) and by the host's wall clock, which is what the
 * gateway stamps its receive times with (token-spec §5). The two part when the wall clock is stepped (a virtual
 * machine catching up after a pause, an NTP step); the outcome reports the widest play either clock can show, so
 * a charge the gateway's clock justifies is never reported as an over-charge, and one neither justifies still is.
 */
final class SimulatedPlayer {

    /** The SDK asks for the next renew token when less than this much playtime is left (token-spec §4). */
    static final long RENEW_MARGIN_SECONDS = 30;
    static final long REASK_SECONDS = 5;

    private enum Phase { JOINING, PLAYING, STOPPING, DONE }

    /** What differs between players of one run, drawn by the scheduler. */
    record Plan(TokenSource.Identity identity, String session, Duration queueing, Duration firstRenewAfter,
                Duration playLength, long topUp, String topUpReference) {
    }

    private final Plan plan;
    private final GatewayClient gateway;
    private final String adminBearer;
    private final ScheduledExecutorService timers;
    private final LongSupplier wallClockMillis;
    private final CompletableFuture<PlayerOutcome> outcome = new CompletableFuture<>();

    private Phase phase = Phase.JOINING;
    private boolean runEnded;
    private String queue = "";
    private long balanceBefore;
    private boolean started;
    private long t0SentNanos;
    private long t0SentWallMillis;
    private long t0ReceivedNanos;
    private long t0ReceivedWallMillis;
    private long deadlineSeconds;
    private long lastBillingAnswerNanos;
    private long lastBillingAnswerWallMillis;
    private long endedNanos;
    private long endedWallMillis;
    private String endReason = "";
    private int renewsGranted;
    private int renewsNotExtended;
    private int renewsFailed;
    private String acceptedTopUp;
    private final List<Long> grantedDeadlines = new ArrayList<>();
    private boolean stopAccepted;
    private int renewsInFlight;
    private ScheduledFuture<?> renewTimer;
    private ScheduledFuture<?> endTimer;

    SimulatedPlayer(Plan plan, GatewayClient gateway, String adminBearer, ScheduledExecutorService timers) {
        this(plan, gateway, adminBearer, timers, System::currentTimeMillis);
    }

    SimulatedPlayer(Plan plan, GatewayClient gateway, String adminBearer, ScheduledExecutorService timers,
                    LongSupplier wallClockMillis) {
        this.plan = plan;
        this.gateway = gateway;
        this.adminBearer = adminBearer;
        this.timers = timers;
        this.wallClockMillis = wallClockMillis;
    }

    /** Starts the player's journey; the future completes once it has stopped (or given up). */
    CompletableFuture<PlayerOutcome> begin() {
        if (plan.topUp() > 0) {
            on(gateway.deposit(adminBearer, plan.identity().userId(), plan.topUp(), plan.topUpReference()),
                    this::onToppedUp);
        } else {
            authorize();
        }
        return outcome;
    }

    /** The run is over: a playing game ends now, a joining player gives up at its next step. */
    synchronized void endRun() {
        runEnded = true;
        if (phase == Phase.PLAYING) {
            endGame("run-ended");
        }
    }

    synchronized boolean isActive() {
        return phase == Phase.PLAYING || phase == Phase.STOPPING;
    }

    private synchronized void onToppedUp(ApiResponse answer) {
        if (!answer.ok()) {
            giveUp("top-up failed: " + answer.failureReason());
            return;
        }
        balanceBefore = answer.longField("balance");
        acceptedTopUp = plan.topUpReference();
        authorize();
    }

    private void authorize() {
        on(gateway.authToken(plan.identity().bearer(), plan.session()), this::onAuthorized);
    }

    private synchronized void onAuthorized(ApiResponse answer) {
        if (!answer.ok()) {
            giveUp("authToken failed: " + answer.failureReason());
            return;
        }
        queue = Jwts.claims(answer.token()).path("queue").asText("");
        later(plan.queueing(), this::startGame);
    }

    private synchronized void startGame() {
        if (runEnded) {
            giveUp("run-ended");
            return;
        }
        on(gateway.start(plan.identity().bearer(), plan.session()), this::onStarted);
    }

    private synchronized void onStarted(ApiResponse answer) {
        if (!answer.ok()) {
            giveUp("startToken failed: " + answer.failureReason());
            return;
        }
        started = true;
        later(plan.firstRenewAfter(), this::firstRenew);
    }

    private synchronized void firstRenew() {
        if (runEnded) {
            endReason = "run-ended before the first renew";
            stop();
            return;
        }
        t0SentNanos = System.nanoTime();
        t0SentWallMillis = wallClockMillis.getAsLong();
        on(gateway.renew(plan.identity().bearer(), plan.session(), 0), this::onFirstRenew);
    }

    private synchronized void onFirstRenew(ApiResponse answer) {
        lastBillingAnswerNanos = answer.receivedNanos();
        lastBillingAnswerWallMillis = wallClockMillis.getAsLong();
        if (!answer.ok()) {
            // No renew token within the free time: the game never really starts, but it was started.
            renewsFailed++;
            endReason = "first renew failed: " + answer.failureReason();
            stop();
            return;
        }
        t0ReceivedNanos = answer.receivedNanos();
        t0ReceivedWallMillis = lastBillingAnswerWallMillis;
        deadlineSeconds = Jwts.claims(answer.token()).path("deadline").asLong();
        grantedDeadlines.add(deadlineSeconds);
        renewsGranted++;
        phase = Phase.PLAYING;
        if (runEnded) {
            endGame("run-ended");
            return;
        }
        armEndTimer();
        scheduleRenew(true);
    }

    private synchronized void renew() {
        if (phase != Phase.PLAYING) {
            return;
        }
        renewsInFlight++;
        on(gateway.renew(plan.identity().bearer(), plan.session(), deadlineSeconds, this::stillPlaying),
                this::onRenew);
    }

    private synchronized boolean stillPlaying() {
        return phase == Phase.PLAYING;
    }

    private synchronized void onRenew(ApiResponse answer) {
        renewsInFlight--;
        lastBillingAnswerNanos = Math.max(lastBillingAnswerNanos, answer.receivedNanos());
        lastBillingAnswerWallMillis = Math.max(lastBillingAnswerWallMillis, wallClockMillis.getAsLong());
        boolean extended = false;
        if (answer.ok()) {
            long deadline = Jwts.claims(answer.token()).path("deadline").asLong();
            extended = deadline > deadlineSeconds;
            if (extended) {
                renewsGranted++;
                deadlineSeconds = deadline;
                grantedDeadlines.add(deadline);
            } else {
                renewsNotExtended++;
            }
        } else if (answer.status() == 402) {
            renewsNotExtended++;
        } else {
            renewsFailed++;
        }
        if (phase == Phase.PLAYING) {
            if (extended) {
                armEndTimer();
            }
            scheduleRenew(extended);
        } else if (phase == Phase.DONE) {
            completeOnceAnswered();
        }
    }

    /** Next renew: when playTime passes deadline - 30 s, or a re-ask after a renew that did not extend it. */
    private void scheduleRenew(boolean deadlineGrew) {
        long now = System.nanoTime();
        long due = deadlineGrew
                ? t0ReceivedNanos + TimeUnit.SECONDS.toNanos(deadlineSeconds - RENEW_MARGIN_SECONDS) + 1_000_000
                : now + TimeUnit.SECONDS.toNanos(REASK_SECONDS);
        if (due < gameEndNanos()) {
            renewTimer = timers.schedule(this::renew, Math.max(0, due - now), TimeUnit.NANOSECONDS);
        }
    }

    private void armEndTimer() {
        if (endTimer != null) {
            endTimer.cancel(false);
        }
        long end = gameEndNanos();
        String reason = end == t0ReceivedNanos + plan.playLength().toNanos() ? "play-length" : "deadline";
        endTimer = timers.schedule(() -> endGameAt(reason), Math.max(0, end - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    /** The earlier of the player's chosen play length and the deadline held. */
    private long gameEndNanos() {
        return Math.min(t0ReceivedNanos + plan.playLength().toNanos(),
                t0ReceivedNanos + TimeUnit.SECONDS.toNanos(deadlineSeconds));
    }

    private synchronized void endGameAt(String reason) {
        if (phase == Phase.PLAYING) {
            endGame(reason);
        }
    }

    private void endGame(String reason) {
        endedNanos = System.nanoTime();
        endedWallMillis = wallClockMillis.getAsLong();
        endReason = reason;
        if (renewTimer != null) {
            renewTimer.cancel(false);
        }
        if (endTimer != null) {
            endTimer.cancel(false);
        }
        stop();
    }

    private void stop() {
        phase = Phase.STOPPING;
        on(gateway.stop(plan.identity().bearer(), plan.session()), this::onStopped);
    }

    private synchronized void onStopped(ApiResponse answer) {
        lastBillingAnswerNanos = Math.max(lastBillingAnswerNanos, answer.receivedNanos());
        lastBillingAnswerWallMillis = Math.max(lastBillingAnswerWallMillis, wallClockMillis.getAsLong());
        if (!answer.ok()) {
            endReason = endReason + " (stop failed: " + answer.failureReason() + ")";
        } else {
            stopAccepted = true;
        }
        finish();
    }

    private void giveUp(String reason) {
        endReason = reason;
        finish();
    }

    private void finish() {
        phase = Phase.DONE;
        completeOnceAnswered();
    }

    /** The outcome is complete once no renew is in flight: its answer may extend what the ledger can have seen. */
    private void completeOnceAnswered() {
        if (renewsInFlight == 0) {
            outcome.complete(outcome(true));
        }
    }

    /** The player's state now, for a player that did not finish in time. */
    synchronized PlayerOutcome unfinishedOutcome(String reason) {
        endReason = endReason.isEmpty() ? reason : endReason + "; " + reason;
        return outcome(false);
    }

    private PlayerOutcome outcome(boolean finished) {
        boolean played = t0ReceivedNanos != 0;
        long ended = endedNanos != 0 ? endedNanos : System.nanoTime();
        long endedWall = endedNanos != 0 ? endedWallMillis : wallClockMillis.getAsLong();
        long playedMin = played ? Math.min(TimeUnit.NANOSECONDS.toMillis(ended - t0ReceivedNanos),
                endedWall - t0ReceivedWallMillis) : 0;
        // A first renew that failed may still have reached the ledger and set t0 there.
        long playedMax = t0SentNanos != 0
                ? Math.max(TimeUnit.NANOSECONDS.toMillis(lastBillingAnswerNanos - t0SentNanos),
                        lastBillingAnswerWallMillis - t0SentWallMillis)
                : 0;
        return new PlayerOutcome(plan.identity().userId(), plan.session(), queue, balanceBefore, finished, started,
                played, Math.max(0, playedMin), playedMax,
                deadlineSeconds, endReason, renewsGranted, renewsNotExtended, renewsFailed,
                new PlayerOutcome.Accepted(acceptedTopUp, started, grantedDeadlines, stopAccepted));
    }

    /** Runs {@code handler} on the answer; an answer it cannot read (a broken token, say) ends the player. */
    private void on(CompletableFuture<ApiResponse> call, Consumer<ApiResponse> handler) {
        call.thenAccept(answer -> {
            try {
                handler.accept(answer);
            } catch (RuntimeException e) {
                unreadableAnswer(e);
            }
        });
    }

    private synchronized void unreadableAnswer(RuntimeException e) {
        String reason = "unreadable answer: " + e.getMessage();
        if (phase == Phase.PLAYING) {
            endGame(reason);
        } else if (phase == Phase.JOINING && started) {
            endReason = reason;
            stop();
        } else if (phase != Phase.DONE) {
            endReason = endReason.isEmpty() ? reason : endReason;
            finish();
        }
    }

    private void later(Duration delay, Runnable step) {
        timers.schedule(step, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
