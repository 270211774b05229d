package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.Threads;
import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.client.QueryClient;
import io.playbill.infra.loadgen.client.TokenSource;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./playbill simulate}: sets the price, lets the players play, settles every balance and reconciles it.
 * Two timer threads and two HTTP callback threads drive every player (Java 17: no virtual threads).
 */
public final class SimulateCommand {

    /** How long the projection may take to catch up with the ledger after the run. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_QUEUEING = Duration.ofSeconds(2);
    private static final Duration MIN_FIRST_RENEW = Duration.ofSeconds(1);
    private static final Duration MAX_FIRST_RENEW = Duration.ofSeconds(5);

    private final SimulateOptions options;
    private final String runId;
    private final PrintStream out;

    public SimulateCommand(SimulateOptions options, String runId, PrintStream out) {
        this.options = options;
        this.runId = runId;
        this.out = out;
    }

    /** @return the reconciliation's verdict; the report has been printed and written */
    public Reconciliation.Result run() throws IOException, InterruptedException {
        TokenSource tokens = options.tokenFile() != null ? TokenSource.fromFile(options.tokenFile())
                : TokenSource.development(runId, options.duration().plus(PlayerScheduler.STOP_GRACE)
                .plus(SETTLE_TIMEOUT).plusMinutes(10));
        String admin = tokens.admin().orElseThrow(() -> new IllegalArgumentException(
                "--token-file needs a token with role admin: the run sets the price, tops up and settles balances"));
        if (tokens.capacity() < options.players()) {
            throw new IllegalArgumentException("--token-file has " + tokens.capacity() + " player tokens for "
                    + options.players() + " players");
        }
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Threads.daemon("loadgen-timer"));
        ExecutorService callbacks = Executors.newFixedThreadPool(2, Threads.daemon("loadgen-http"));
        try {
            HttpClient http = GatewayClient.httpClient(callbacks);
            CallMetrics metrics = new CallMetrics();
            GatewayClient gateway = new GatewayClient(http, options.gatewayUrl(), timers, metrics,
                    GatewayClient.SDK_RETRIES);
            setPrice(gateway, admin);

            SplittableRandom random = new SplittableRandom(options.seed());
            PlayerScheduler scheduler = new PlayerScheduler(options.players(), options.arrivalRate(),
                    options.duration(), i -> new SimulatedPlayer(plan(tokens, i, random), gateway, admin, timers),
                    timers);
            out.printf(Locale.ROOT, "Simulating %d players arriving at %.2f/s on %s (run %s, seed %d) ...%n",
                    options.players(), options.arrivalRate(), options.gatewayUrl(), runId, options.seed());
            long started = System.nanoTime();
            ScheduledFuture<?> progress = timers.scheduleAtFixedRate(new ProgressLine(scheduler, metrics, out),
                    1, 1, TimeUnit.SECONDS);
            List<PlayerOutcome> outcomes;
            try {
                outcomes = scheduler.run();
            } finally {
                progress.cancel(false);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            out.println("Settling balances (waiting for query-service to catch up with the ledger) ...");
            LedgerSettlement settlement = new LedgerSettlement(gateway,
                    new QueryClient(http, options.gatewayUrl(), tokens.balanceReader()), admin, runId);
            var settled = settlement.settle(outcomes.stream().map(PlayerOutcome::userId).toList(), SETTLE_TIMEOUT);
            Reconciliation.Result result = new Reconciliation(options.mode(), options.pricePerMinute(),
                    options.cycle(), options.queue()).reconcile(outcomes, settled);

            SimulationReport report = new SimulationReport(runId, options, took, outcomes, metrics, result);
            report.writeJson(options.report());
            report.printText(out, options.report());
            return result;
        } finally {
            timers.shutdownNow();
            callbacks.shutdownNow();
        }
    }

    private void setPrice(GatewayClient gateway, String admin) {
        ApiResponse answer = gateway.setPrice(admin, options.queue(), options.pricePerMinute()).join();
        if (!answer.ok()) {
            throw new IllegalStateException("Setting the price of queue " + options.queue() + " failed: "
                    + answer.failureReason());
        }
    }

    /** Called on the arrival timer only, so the shared random needs no lock. */
    private SimulatedPlayer.Plan plan(TokenSource tokens, int index, SplittableRandom random) {
        return new SimulatedPlayer.Plan(tokens.player(index), "lg" + runId + "p" + index,
                Duration.ofMillis(random.nextLong(MAX_QUEUEING.toMillis() + 1)),
                MIN_FIRST_RENEW.plusMillis(random.nextLong(MAX_FIRST_RENEW.minus(MIN_FIRST_RENEW).toMillis() + 1)),
                options.playLength().sample(random), options.topUp(), "lg-topup-" + runId + "-" + index);
    }
}
