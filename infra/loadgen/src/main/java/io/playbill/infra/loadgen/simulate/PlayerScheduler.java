package io.playbill.infra.loadgen.simulate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Lets players arrive at a constant rate (open loop: arrivals do not wait for the platform) until all have
 * arrived or the run's duration is over, then ends every game still running and waits a bounded time for the
 * stops. Never more players than asked, never longer than duration + {@link #STOP_GRACE}.
 */
final class PlayerScheduler {

    /** Long enough for a stop to ride out its retries (6 × 10 s timeouts + 23 s of backoff); after it a player
     * counts as unfinished. */
    static final Duration STOP_GRACE = Duration.ofSeconds(90);
    private static final long TICK_MILLIS = 10;

    private final int players;
    private final double arrivalsPerSecond;
    private final Duration duration;
    private final IntFunction<SimulatedPlayer> newPlayer;
    private final ScheduledExecutorService timers;

    private final List<SimulatedPlayer> arrived = new ArrayList<>();
    private final List<CompletableFuture<PlayerOutcome>> outcomes = new ArrayList<>();
    private final CompletableFuture<Void> allArrived = new CompletableFuture<>();
    private long startNanos;

    /**
     * @param newPlayer creates player {@code i} (0-based)
     */
    PlayerScheduler(int players, double arrivalsPerSecond, Duration duration, IntFunction<SimulatedPlayer> newPlayer,
                    ScheduledExecutorService timers) {
        this.players = players;
        this.arrivalsPerSecond = arrivalsPerSecond;
        this.duration = duration;
        this.newPlayer = newPlayer;
        this.timers = timers;
    }

    /** Runs the whole simulation; returns the outcome of every player that arrived. */
    List<PlayerOutcome> run() throws InterruptedException {
        startNanos = System.nanoTime();
        ScheduledFuture<?> arrivals = timers.scheduleAtFixedRate(this::admitDuePlayers, 0, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        long end = startNanos + duration.toNanos();
        try {
            awaitUntil(allArrived, end);
            arrivals.cancel(false);
            awaitUntil(CompletableFuture.allOf(snapshotOutcomes().toArray(CompletableFuture[]::new)), end);
        } finally {
            arrivals.cancel(false);
        }
        List<SimulatedPlayer> everyone;
        synchronized (this) {
            everyone = List.copyOf(arrived);
        }
        everyone.forEach(SimulatedPlayer::endRun);
        List<CompletableFuture<PlayerOutcome>> all = snapshotOutcomes();
        awaitUntil(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)),
                System.nanoTime() + STOP_GRACE.toNanos());
        List<PlayerOutcome> finished = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CompletableFuture<PlayerOutcome> outcome = all.get(i);
            finished.add(outcome.isDone() ? outcome.join() : unfinished(everyone.get(i)));
        }
        return finished;
    }

    synchronized int arrivedCount() {
        return arrived.size();
    }

    synchronized int finishedCount() {
        return (int) outcomes.stream().filter(CompletableFuture::isDone).count();
    }

    synchronized int activeCount() {
        return (int) arrived.stream().filter(SimulatedPlayer::isActive).count();
    }

    long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    private synchronized void admitDuePlayers() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long due = Math.min(players, (long) Math.floor(elapsed * arrivalsPerSecond) + 1);
        while (arrived.size() < due) {
            SimulatedPlayer player = newPlayer.apply(arrived.size());
            arrived.add(player);
            outcomes.add(player.begin());
        }
        if (arrived.size() == players) {
            allArrived.complete(null);
        }
    }

    private synchronized List<CompletableFuture<PlayerOutcome>> snapshotOutcomes() {
        return List.copyOf(outcomes);
    }

    private static PlayerOutcome unfinished(SimulatedPlayer player) {
        return player.unfinishedOutcome("did not stop within " + STOP_GRACE.toSeconds() + " s after the run");
    }

    private static void awaitUntil(CompletableFuture<?> future, long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            future.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Over time, or a player's future failed: the caller decides what to do with the unfinished.
        }
    }
}
