package io.playbill.infra.loadgen.soak;

import io.playbill.infra.kafka.LoopbackPorts;
import io.playbill.infra.loadgen.Threads;
import io.playbill.infra.loadgen.simulate.LedgerSettlement;
import io.playbill.infra.loadgen.simulate.PlayerOutcome;
import io.playbill.infra.loadgen.simulate.Reconciliation;
import io.playbill.infra.loadgen.simulate.Simulation;
import io.playbill.infra.standalone.Platform;
import io.playbill.infra.standalone.PlatformConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code ./playbill soak}: a platform of its own (on free ports), simulated players on it, and faults while they play
 * ({@link Chaos}); then every balance settled and reconciled, what the gateway accepted checked against the ledger's
 * event store ({@link LedgerCheck}), a replay (with several instances) and an audit asked of every query-service
 * instance at once ({@link Coordination}), and the report.
 */
public final class SoakCommand {

    private final SoakOptions options;
    private final PrintStream out;

    public SoakCommand(SoakOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public SoakReport run() throws IOException, InterruptedException {
        Path data = options.data().toAbsolutePath();
        String cycle = options.cycle().toSeconds() + "s";
        Map<String, String> billing = Map.of("PLAYBILL_BILLING_MODE", "under", "PLAYBILL_BILLING_CYCLE", cycle);
        PlatformConfig config = new PlatformConfig(options.home(), data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), PlatformConfig.defaults(options.home(), data).jvmOptions())
                .withServiceEnvironment("command-service", billing)
                .withServiceEnvironment("gateway", billing);
        for (String service : PlatformConfig.SERVICES) {
            config = config.withInstances(service, options.instances());
        }
        out.println("Starting the soak platform (" + options.instances() + " instance(s) of each service) in " + data
                + " ...");
        // Its data directory goes with it, an interrupted soak's too, unless --keep-data.
        try (Platform platform = options.keepData() ? Platform.start(config) : Platform.startOnThrowawayData(config)) {
            return soak(platform);
        }
    }

    private SoakReport soak(Platform platform) throws IOException, InterruptedException {
        List<String> gateways = platform.instances("gateway").stream().map(platform.serviceUrls()::get).toList();
        List<String> queries = platform.instances("query-service");
        // The platform's wiring: gateway k reads from query-service instance k.
        List<String> queryBehindGateway = IntStream.range(0, gateways.size())
                .mapToObj(k -> queries.get(k % queries.size())).toList();
        long started = System.nanoTime();
        Availability availability = new Availability(started);
        ScheduledExecutorService probeTimer = Executors.newSingleThreadScheduledExecutor(Threads.daemon("soak-probe"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (Simulation simulation = new Simulation(options.simulation(gateways), options.runId(), out,
                availability)) {
            simulation.setPrice();
            List<Chaos.Event> events;
            Simulation.Played played;
            Chaos chaos = new Chaos(platform, options.chaos(), options.duration(), availability, out);
            QueryProbe probe = new QueryProbe(http, gateways, queryBehindGateway, simulation.balanceReader(),
                    "lg-" + options.runId() + "-probe", availability, probeTimer);
            try {
                CompletableFuture<List<Chaos.Event>> faults = chaos.start();
                played = simulation.play();
                events = awaitFaults(faults);
                out.println("Waiting until every instance is ready ...");
                chaos.awaitReady();
            } finally {
                probe.close();
            }
            List<PlayerOutcome> outcomes = played.outcomes();
            Map<String, LedgerSettlement.Settled> settled = simulation.settle(outcomes);
            Reconciliation.Result reconciliation = simulation.reconcile(outcomes, settled);
            LedgerCheck.Result ledger;
            try {
                ledger = LedgerCheck.check(platform.database("playbill_ledger"), outcomes,
                        settled.values().stream().filter(s -> s.ledgerBalance() >= 0)
                                .map(LedgerSettlement.Settled::userId).collect(Collectors.toSet()),
                        simulation::settlementReference);
            } catch (SQLException e) {
                throw new IllegalStateException("Reading the ledger's event store failed: " + e.getMessage(), e);
            }
            Coordination coordination = new Coordination(http, gateways, simulation.admin());
            Coordination.Outcome replay = null;
            if (options.instances() > 1) {
                out.println("Asking every query-service instance for the same replay at once ...");
                replay = coordination.replay();
            }
            out.println("Auditing (asked of every query-service instance at once) ...");
            Coordination.Audit audit = coordination.audit();
            simulation.report(played, reconciliation);
            SoakReport report = new SoakReport(options.runId(), options,
                    (System.nanoTime() - started) / 1e9, outcomes.size(),
                    (int) outcomes.stream().filter(PlayerOutcome::played).count(), events,
                    availability.outages(), availability.refusalCount(), availability.refusals(), ledger, reconciliation, replay, audit,
                    platform.failure().isDone() ? platform.failure().join() : null);
            report.writeJson(options.report());
            report.printText(out, options.report());
            return report;
        } finally {
            probeTimer.shutdownNow();
        }
    }

    /** The faults finish after the players when a recovery ran late; never later than one more recovery. */
    private static List<Chaos.Event> awaitFaults(CompletableFuture<List<Chaos.Event>> faults)
            throws InterruptedException {
        try {
            return faults.get(Chaos.RECOVERY_LIMIT.toMinutes() * (Chaos.TARGETS.size() + 1), TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The chaos failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The chaos did not finish", e);
        }
    }
}
