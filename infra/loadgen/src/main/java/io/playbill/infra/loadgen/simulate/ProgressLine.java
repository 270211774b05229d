package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.client.Call;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.metrics.LatencySummary;

import java.io.PrintStream;
import java.util.Locale;

/** The live line printed every second: players, renews in the last second with their latency, errors so far. */
final class ProgressLine implements Runnable {

    private final PlayerScheduler players;
    private final CallMetrics metrics;
    private final PrintStream out;

    ProgressLine(PlayerScheduler players, CallMetrics metrics, PrintStream out) {
        this.players = players;
        this.metrics = metrics;
        this.out = out;
    }

    @Override
    public void run() {
        LatencySummary renews = metrics.of(Call.RENEW).interval();
        out.println(String.format(Locale.ROOT,
                "[%4d s] players %d active, %d arrived, %d done | renews %d/s, %s | errors %d, retries %d (503) %d (io)",
                players.elapsedSeconds(), players.activeCount(), players.arrivedCount(), players.finishedCount(),
                renews.count(), renews.brief(), metrics.failures(), metrics.retries(),
                metrics.transportRetries()));
    }
}
