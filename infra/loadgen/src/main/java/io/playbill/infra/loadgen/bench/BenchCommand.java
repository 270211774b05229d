package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.Threads;
import io.playbill.infra.loadgen.bench.jmh.JmhMain;
import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.standalone.DevCredentials;
import io.playbill.infra.standalone.Platform;
import io.playbill.infra.standalone.PlatformConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ./playbill bench}: starts a platform of its own on free ports and measures, in one run on this machine,
 * (a) token issue in billing mode none against a bare authenticated request on the same gateway stack, (b) the
 * renew ramp in mode under, and the baselines under it: (c) raw Kafka request-reply, (d) raw PostgreSQL commits,
 * (e) event store replay. A figure that cannot be measured is reported missing with the reason; the others still
 * run.
 */
public final class BenchCommand {

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration MEASURED = Duration.ofSeconds(10);
    private static final Duration JIT_WARM_UP = Duration.ofSeconds(10);
    /** Concurrent clients of (a): enough to keep both cores of the gateway busy. */
    private static final int CLOSED_LOOP_CLIENTS = 32;

    private static final String RENEW = "renew end to end, at the p99 target";
    private static final String RENEW_CAPACITY = "renew end to end, capacity";
    private static final String KAFKA = "raw Kafka request-reply";
    private static final String POSTGRES = "raw PostgreSQL single-row commits";
    private static final String REPLAY = "event store replay (read + deserialise)";

    private final BenchOptions options;
    private final PrintStream out;

    public BenchCommand(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public void run() throws Exception {
        if (options.jmh()) {
            JmhMain.run();
            return;
        }
        Path data = options.data().toAbsolutePath();
        List<String> jvmOptions = PlatformConfig.defaults(options.home(), data).jvmOptions();
        PlatformConfig config = new PlatformConfig(options.home(), data, freePort(), freePort(), freePort(),
                freePort(), freePort(), freePort(), jvmOptions);
        String runId = options.runId();
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Long> memory;
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Threads.daemon("bench-timer"));
        ExecutorService callbacks = Executors.newFixedThreadPool(2, Threads.daemon("bench-http"));
        out.println("Starting the bench platform in " + data + " (service JVMs: " + String.join(" ", jvmOptions)
                + ") ...");
        try (Platform platform = Platform.start(config); ForeignCpu foreign = ForeignCpu.start()) {
            HttpClient http = GatewayClient.httpClient(callbacks);
            String admin = DevCredentials.userToken("loadgen-admin", List.of("admin"), Duration.ofHours(2));
            figures.addAll(timed(foreign, () -> tokenIssueAgainstBare(platform, http, timers, jvmOptions, data,
                    details)));
            GatewayClient gateway = new GatewayClient(http, platform.serviceUrls().get("gateway"), timers,
                    new CallMetrics(), 0);
            figures.addAll(timed(foreign, () -> renewRampOrMissing(gateway, admin, runId, details)));
            figures.add(timed(foreign, "c", KAFKA, "round trips/s", () -> rawKafka(platform, runId)));
            figures.add(timed(foreign, "d", POSTGRES, "commits/s", () -> rawPostgres(platform)));
            figures.add(timed(foreign, "e", REPLAY, "events/s", () -> replay(platform, details)));
            memory = ServiceMemory.peakResidentMb(data.resolve("run"));
        } finally {
            timers.shutdownNow();
            callbacks.shutdownNow();
            if (!options.keepData()) {
                deleteRecursively(data);
            }
        }
        BenchReport report = new BenchReport(figures, details, memory, jvmOptions);
        report.printText(out);
        report.writeJson(options.report());
        out.println("Report: " + options.report().toAbsolutePath());
    }

    private Figure rawKafka(Platform platform, String runId) throws Exception {
        RawKafkaRequestReply.Result kafka = new RawKafkaRequestReply(platform.kafkaAdminProperties(), runId)
                .run(WARM_UP, MEASURED);
        return new Figure("c", KAFKA, kafka.roundTripsPerSecond(), "round trips/s", kafka.latency(),
                RawKafkaRequestReply.IN_FLIGHT + " in flight, " + kafka.requestBytes() + " B request / "
                        + kafka.replyBytes() + " B reply, acks=all");
    }

    private Figure rawPostgres(Platform platform) throws Exception {
        RawPostgresInserts.Result pg = new RawPostgresInserts(platform.database("playbill_bench"))
                .run(Duration.ofSeconds(2), MEASURED);
        return new Figure("d", POSTGRES, pg.commitsPerSecond(), "commits/s", null,
                RawPostgresInserts.CONNECTIONS + " connections, autocommit, fsync on");
    }

    private Figure replay(Platform platform, Map<String, Object> details) throws Exception {
        EventStoreReplay.Result replay = new EventStoreReplay(platform.database("playbill_ledger")).run();
        if (replay.eventsInStore() == 0) {
            return Figure.missing("e", REPLAY, "events/s", "domain_event_entry is empty");
        }
        details.put("replayEventTypes", replay.eventTypes());
        return new Figure("e", REPLAY, replay.eventsPerSecond(), "events/s", null, replay.eventsInStore()
                + " events x " + replay.passes() + " passes; no audit exists yet: reading + deserialising "
                + "domain_event_entry");
    }

    private Figure timed(ForeignCpu foreign, String key, String name, String unit, Measurement measurement) {
        return timed(foreign, () -> List.of(measure(key, name, unit, measurement))).get(0);
    }

    /** Runs one stage and stamps its figures with how busy other processes kept the CPU meanwhile. */
    private static List<Figure> timed(ForeignCpu foreign, Supplier<List<Figure>> stage) {
        double before = foreign.foreignSeconds();
        long started = System.nanoTime();
        List<Figure> figures = stage.get();
        double cores = (foreign.foreignSeconds() - before) / ((System.nanoTime() - started) / 1e9);
        return figures.stream().map(f -> f.withForeignCores(cores)).toList();
    }

    /** (a): a second gateway in mode none; token issue and the bare request, same clients, same duration. */
    private List<Figure> tokenIssueAgainstBare(Platform platform, HttpClient http, ScheduledExecutorService timers,
                                               List<String> jvmOptions, Path data, Map<String, Object> details) {
        String token = "token issue (authToken, mode none)";
        String bare = "bare authenticated call (stop, mode none)";
        out.println("(a) starting a gateway in billing mode none ...");
        try (NoneModeGateway none = NoneModeGateway.start(options.home(), platform, freePort(), jvmOptions,
                data.resolve("run/logs"))) {
            GatewayClient gateway = new GatewayClient(http, none.url(), timers, new CallMetrics(), 0);
            List<String> users = new ArrayList<>();
            for (int i = 0; i < CLOSED_LOOP_CLIENTS; i++) {
                users.add(DevCredentials.userToken("lgn-" + i, List.of(), Duration.ofHours(1)));
            }
            // stop in mode none: the same filters, authentication, controller and async answer, but no token.
            LongFunction<CompletableFuture<ApiResponse>> bareRequest =
                    n -> gateway.stop(users.get((int) (n % users.size())), "lgn" + n);
            LongFunction<CompletableFuture<ApiResponse>> tokenRequest =
                    n -> gateway.authToken(users.get((int) (n % users.size())), "lgn" + n);
            // A fresh JVM: both paths get the JIT's attention before either is measured.
            ClosedLoopHttp warmUp = new ClosedLoopHttp(CLOSED_LOOP_CLIENTS, Duration.ZERO, JIT_WARM_UP);
            warmUp.run(bareRequest, 200);
            warmUp.run(tokenRequest, 200);
            ClosedLoopHttp load = new ClosedLoopHttp(CLOSED_LOOP_CLIENTS, WARM_UP, MEASURED);
            ClosedLoopHttp.Result bareResult = load.run(bareRequest, 200);
            ClosedLoopHttp.Result tokenResult = load.run(tokenRequest, 200);
            details.put("aStatuses", Map.of("bare", bareResult.statuses(), "token", tokenResult.statuses()));
            out.printf(Locale.ROOT, "  (a) bare %.0f/s %s, token %.0f/s %s%n", bareResult.perSecond(),
                    bareResult.statuses(), tokenResult.perSecond(), tokenResult.statuses());
            Figure bareFigure = closedLoopFigure("a-bare", bare, bareResult, "POST /api/game/stop -> 200");
            Figure tokenFigure = closedLoopFigure("a-token", token, tokenResult, "GET /api/game/authToken -> 200");
            return List.of(tokenFigure, bareFigure);
        } catch (Exception e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return List.of(Figure.missing("a-token", token, "req/s", why), Figure.missing("a-bare", bare, "req/s", why));
        }
    }

    private static Figure closedLoopFigure(String key, String name, ClosedLoopHttp.Result result, String what) {
        long all = result.statuses().values().stream().mapToLong(Long::longValue).sum();
        if (result.expected() * 2 < all || result.expected() == 0) {
            return Figure.missing(key, name, "req/s", what.substring(0, what.indexOf(" ->")) + " answered "
                    + result.statuses() + " (status -> count) instead of" + what.substring(what.indexOf(" ->") + 3));
        }
        return new Figure(key, name, result.perSecond(), "req/s", result.latency(),
                CLOSED_LOOP_CLIENTS + " closed-loop clients; " + what);
    }

    private List<Figure> renewRampOrMissing(GatewayClient gateway, String admin, String runId,
                                            Map<String, Object> details) {
        out.println("(b) " + RENEW + " ...");
        try {
            return renewRamp(gateway, admin, runId, details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return renewMissing("interrupted");
        } catch (RuntimeException e) {
            return renewMissing(e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private List<Figure> renewRamp(GatewayClient gateway, String admin, String runId, Map<String, Object> details)
            throws InterruptedException {
        ApiResponse price = gateway.setPrice(admin, "standard", 60).join();
        if (!price.ok()) {
            return renewMissing("setting the price failed: " + price.failureReason());
        }
        out.println("(b) preparing " + options.sessions() + " sessions ...");
        RenewSessions sessions = RenewSessions.prepare(gateway, admin, runId, options.sessions());
        if (sessions.size() == 0) {
            return renewMissing("no session could be prepared: " + sessions.firstFailure());
        }
        OfferedLoadRamp.Result ramp = new OfferedLoadRamp(gateway, sessions, options.stepDuration(),
                options.p99Limit(), out).run(options.renewSteps());
        details.put("renewSteps", ramp.steps());
        String how = sessions.size() + " sessions" + (sessions.firstFailure() == null ? ""
                : " (of " + options.sessions() + "; first set-up failure: " + sessions.firstFailure() + ")")
                + ", open loop, " + options.stepDuration().toSeconds() + " s steps";
        return List.of(
                rampFigure("b", RENEW, ramp.maxSustained(), "highest step with p99 <= "
                        + options.p99Limit().toMillis() + " ms; " + how),
                rampFigure("b-cap", RENEW_CAPACITY, ramp.maxServed(), "highest step with p99 <= "
                        + OfferedLoadRamp.SERVED_P99.toMillis() + " ms and no loss; " + how));
    }

    private static List<Figure> renewMissing(String why) {
        return List.of(Figure.missing("b", RENEW, "renews/s", why), Figure.missing("b-cap", RENEW_CAPACITY,
                "renews/s", why));
    }

    /** A ramp step as a figure: its offered rate; 0 when not even the first step qualified. */
    private static Figure rampFigure(String key, String name, OfferedLoadRamp.Step step, String how) {
        if (step == null) {
            return new Figure(key, name, 0, "renews/s", null, how + "; not even the first step qualified");
        }
        return new Figure(key, name, step.offeredPerSecond(), "renews/s", step.latency(),
                how + "; " + Math.round(step.okPerSecond()) + " ok/s");
    }

    private interface Measurement {
        Figure run() throws Exception;
    }

    private Figure measure(String key, String name, String unit, Measurement measurement) {
        out.println("(" + key + ") " + name + " ...");
        try {
            return measurement.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Figure.missing(key, name, unit, "interrupted");
        } catch (Exception e) {
            return Figure.missing(key, name, unit, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
