package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.Threads;
import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.AttemptListener;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of simulated players, step by step: set the price, play, settle every balance, reconcile, report.
 * {@code ./playbill simulate} runs the steps in a row; the chaos soak runs its faults beside {@link #play()}. Two
 * timer threads and two HTTP callback threads drive every player (Java 17: no virtual threads). Player {@code i}
 * talks to gateway {@code i} modulo the number of gateways, as a client pinned to one address would.
 */
public final class Simulation implements AutoCloseable {

    /** How long the projection may take to catch up with the ledger after the run. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_QUEUEING = Duration.ofSeconds(2);
    private static final Duration MIN_FIRST_RENEW = Duration.ofSeconds(1);
    private static final Duration MAX_FIRST_RENEW = Duration.ofSeconds(5);

    /**
     * The players' outcomes, how long they took, and how far the host's wall clock (which the gateway bills by)
     * moved ahead of elapsed time meanwhile: more than a few milliseconds means it was stepped.
     */
    public record Played(List<PlayerOutcome> outcomes, Duration took, long wallClockAheadMillis) {
    }

    private final SimulateOptions options;
    private final String runId;
    private final PrintStream out;
    private final TokenSource tokens;
    private final String admin;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
            Threads.daemon("loadgen-timer"));
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2, Threads.daemon("loadgen-http"));
    private final HttpClient http = GatewayClient.httpClient(callbacks);
    private final CallMetrics metrics = new CallMetrics();
    private final List<GatewayClient> gateways;

    /** @param listener told of every attempt of every call the players, the settlement and the price make */
    public Simulation(SimulateOptions options, String runId, PrintStream out, AttemptListener listener)
            throws IOException {
        this.options = options;
        this.runId = runId;
        this.out = out;
        this.tokens = options.tokenFile() != null ? TokenSource.fromFile(options.tokenFile())
                : TokenSource.development(runId, options.duration().plus(PlayerScheduler.STOP_GRACE)
                .plus(SETTLE_TIMEOUT).plusMinutes(30));
        this.admin = tokens.admin().orElseThrow(() -> new IllegalArgumentException(
                "--token-file needs a token with role admin: the run sets the price, tops up and settles balances"));
        if (tokens.capacity() < options.players()) {
            throw new IllegalArgumentException("--token-file has " + tokens.capacity() + " player tokens for "
                    + options.players() + " players");
        }
        this.gateways = options.gatewayUrls().stream().map(url -> new GatewayClient(http, url, timers, metrics,
                GatewayClient.SDK_RETRIES, listener)).toList();
    }

    public void setPrice() {
        ApiResponse answer = gateways.get(0).setPrice(admin, options.queue(), options.pricePerMinute()).join();
        if (!answer.ok()) {
            throw new IllegalStateException("Setting the price of queue " + options.queue() + " failed: "
                    + answer.failureReason());
        }
    }

    /** Lets every player arrive, play and stop (or give up); returns once all have, or the grace is over. */
    public Played play() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(options.seed());
        PlayerScheduler scheduler = new PlayerScheduler(options.players(), options.arrivalRate(),
                options.duration(), i -> new SimulatedPlayer(plan(i, random), gateways.get(i % gateways.size()),
                admin, timers), timers);
        out.printf(Locale.ROOT, "Simulating %d players arriving at %.2f/s on %s (run %s, seed %d) ...%n",
                options.players(), options.arrivalRate(), String.join(", ", options.gatewayUrls()), runId,
                options.seed());
        long started = System.nanoTime();
        long startedWall = System.currentTimeMillis();
        ScheduledFuture<?> progress = timers.scheduleAtFixedRate(new ProgressLine(scheduler, metrics, out),
                1, 1, TimeUnit.SECONDS);
        try {
            List<PlayerOutcome> outcomes = scheduler.run();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new Played(outcomes, took, System.currentTimeMillis() - startedWall - took.toMillis());
        } finally {
            progress.cancel(false);
        }
    }

    /** Every player's balance, from the ledger and once query-service has caught up (see {@link LedgerSettlement}). */
    public Map<String, LedgerSettlement.Settled> settle(List<PlayerOutcome> outcomes) throws InterruptedException {
        out.println("Settling balances (waiting for query-service to catch up with the ledger) ...");
        LedgerSettlement settlement = new LedgerSettlement(gateways.get(0),
                new QueryClient(http, gateways.get(0).baseUrl(), tokens.balanceReader()), admin, runId);
        return settlement.settle(outcomes.stream().map(PlayerOutcome::userId).toList(), SETTLE_TIMEOUT);
    }

    public Reconciliation.Result reconcile(List<PlayerOutcome> outcomes,
                                           Map<String, LedgerSettlement.Settled> settled) {
        return new Reconciliation(options.mode(), options.pricePerMinute(), options.cycle(), options.queue())
                .reconcile(outcomes, settled);
    }

    /** Prints the report and writes it as JSON to the options' report file. */
    public void report(Played played, Reconciliation.Result result) throws IOException {
        SimulationReport report = new SimulationReport(runId, options, played, metrics, result);
        report.writeJson(options.report());
        report.printText(out, options.report());
    }

    /** The reference of the settlement deposit of {@code userId} (see {@link LedgerSettlement}). */
    public String settlementReference(String userId) {
        return LedgerSettlement.reference(runId, userId);
    }

    public CallMetrics metrics() {
        return metrics;
    }

    /** The admin token the run uses. */
    public String admin() {
        return admin;
    }

    /** The token that reads balances through the gateway's finance routes. */
    public String balanceReader() {
        return tokens.balanceReader();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        callbacks.shutdownNow();
    }

    /** Called on the arrival timer only, so the shared random needs no lock. */
    private SimulatedPlayer.Plan plan(int index, SplittableRandom random) {
        return new SimulatedPlayer.Plan(tokens.player(index), "lg" + runId + "p" + index,
                Duration.ofMillis(random.nextLong(MAX_QUEUEING.toMillis() + 1)),
                MIN_FIRST_RENEW.plusMillis(random.nextLong(MAX_FIRST_RENEW.minus(MIN_FIRST_RENEW).toMillis() + 1)),
                options.playLength().sample(random), options.topUp(), "lg-topup-" + runId + "-" + index);
    }
}
