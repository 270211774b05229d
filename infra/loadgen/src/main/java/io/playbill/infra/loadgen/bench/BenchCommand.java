package io.playbill.infra.loadgen.bench;

import io.playbill.infra.kafka.LoopbackPorts;
import io.playbill.infra.loadgen.Threads;
import io.playbill.infra.loadgen.bench.jmh.JmhMain;
import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.client.CallMetrics;
import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.standalone.DevCredentials;
import io.playbill.infra.standalone.Platform;
import io.playbill.infra.standalone.PlatformConfig;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * {@code ./playbill bench}: starts a platform of its own on free ports and measures, in one run on this machine,
 * (a) token issue in billing mode none against a bare authenticated request on the same gateway stack and against
 * the machine's HTTP floor, (g) whether the load generator can offer the ramp's top rate, (b) the renew ramp in mode
 * under with the CPU each process spends per renew, and the baselines under it: (c) raw Kafka request-reply, (d) raw
 * PostgreSQL commits, (e) event store replay. A figure that cannot be measured is reported missing with the reason;
 * the others still run.
 */
public final class BenchCommand {

    /** Concurrent clients of (a): enough to keep both cores of the gateway busy. */
    private static final int CLOSED_LOOP_CLIENTS = 32;
    /** Users the requests of (a) are spread over: each stays far below the gateway's per-user rate limit. */
    private static final int CLOSED_LOOP_USERS = 2_000;
    /** CPU per renew is taken at this offered rate, or at the highest rate offered if the ramp stopped below it. */
    static final int CPU_RATE = 1_000;
    /** (g): the generator keeps up while 99 % of its requests leave at most this late. */
    private static final Duration GENERATOR_SEND_LAG = Duration.ofMillis(10);
    /** The low-load step whose p99 is a figure of its own. */
    static final int LOW_LOAD_RATE = 25;
    /** Offered before the ramp, unmeasured, so that the ramp measures compiled code (OfferedLoadRamp#run). */
    static final int RENEW_WARM_UP_RATE = 100;

    private static final String RENEW = "renew end to end, at the p99 target";
    private static final String RENEW_CAPACITY = "renew end to end, capacity";
    private static final String RENEW_LOW_LOAD = "renew end to end, p99 at " + LOW_LOAD_RATE + "/s";
    private static final String RENEW_CPU = "CPU per renew, all processes";
    private static final String PROJECTION_LAG = "projection lag p99, at the capacity step";
    private static final String GENERATOR = "load generator, open loop against the floor";
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
        HttpFloor.useTcpNoDelay();
        Path data = options.data().toAbsolutePath();
        List<String> jvmOptions = PlatformConfig.defaults(options.home(), data).jvmOptions();
        PlatformConfig config = new PlatformConfig(options.home(), data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), jvmOptions);
        String runId = options.runId();
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Long> memory;
        BenchReport.CpuPerRenew cpuPerRenew = null;
        List<BenchReport.CpuPerRenew> cpuPerStep = List.of();
        ProcessCpu cpu = new ProcessCpu(data);
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, Threads.daemon("bench-timer"));
        ExecutorService callbacks = Executors.newFixedThreadPool(2, Threads.daemon("bench-http"));
        out.println("Starting the bench platform in " + data + " (service JVMs: " + String.join(" ", jvmOptions)
                + ") ...");
        // Its data directory goes with it, an interrupted bench's too, unless --keep-data.
        try (Platform platform = options.keepData() ? Platform.start(config) : Platform.startOnThrowawayData(config);
             ForeignCpu foreign = ForeignCpu.start(cpu);
             HttpFloor floor = HttpFloor.start()) {
            HttpClient http = GatewayClient.httpClient(callbacks);
            String admin = DevCredentials.userToken("loadgen-admin", List.of("admin"), Duration.ofHours(2));
            GatewayClient floorClient = new GatewayClient(http, floor.url(), timers, new CallMetrics(), 0);
            figures.addAll(timed(foreign, () -> tokenIssueAgainstBaselines(platform, http, timers, floorClient, cpu,
                    jvmOptions, data, details)));
            figures.add(timed(foreign, "g", GENERATOR, "requests/s", () -> generatorCheck(floorClient, cpu,
                    details)));
            GatewayClient gateway = new GatewayClient(http, platform.serviceUrls().get("gateway"), timers,
                    new CallMetrics(), 0);
            String scrapeToken = Files.readString(platform.scrapeTokenFile()).trim();
            String ledgerUrl = platform.serviceUrls().get(platform.instances("command-service").get(0));
            Supplier<Optional<LedgerWork>> ledgerWork = () -> LedgerWork.scrape(http, ledgerUrl, scrapeToken);
            Supplier<ServiceMetrics> metrics = () -> {
                Map<String, GcPauses> gcPauses = new LinkedHashMap<>();
                ProjectionLag projectionLag = null;
                for (String service : PlatformConfig.SERVICES) {
                    Optional<String> text = PrometheusText.read(http, platform.serviceUrls().get(service),
                            scrapeToken);
                    text.map(GcPauses::parse).ifPresent(pauses -> gcPauses.put(service, pauses));
                    if (service.equals("query-service")) {
                        projectionLag = text.map(ProjectionLag::parse).orElse(null);
                    }
                }
                return new ServiceMetrics(gcPauses, projectionLag);
            };
            RenewRamp renew = timed(foreign, () -> renewRampOrMissing(gateway, admin, runId, cpu, ledgerWork,
                    metrics, details));
            figures.addAll(renew.figures());
            cpuPerRenew = renew.cpuPerRenew();
            cpuPerStep = renew.cpuPerStep();
            figures.add(timed(foreign, "c", KAFKA, "round trips/s", () -> rawKafka(platform, runId)));
            figures.add(timed(foreign, "d", POSTGRES, "commits/s", () -> rawPostgres(platform)));
            figures.add(timed(foreign, "e", REPLAY, "events/s", () -> replay(platform, details)));
            memory = ServiceMemory.peakResidentMb(data.resolve("run"));
        } finally {
            timers.shutdownNow();
            callbacks.shutdownNow();
        }
        BenchReport report = new BenchReport(figures, details, memory, jvmOptions, cpuPerRenew, cpuPerStep);
        report.printText(out);
        report.writeJson(options.report());
        out.println("Report: " + options.report().toAbsolutePath());
    }

    private Figure rawKafka(Platform platform, String runId) throws Exception {
        RawKafkaRequestReply.Result kafka = new RawKafkaRequestReply(platform.kafkaAdminProperties(), runId)
                .run(options.periods().warmUp(), options.periods().measured());
        return new Figure("c", KAFKA, kafka.roundTripsPerSecond(), "round trips/s", kafka.latency(),
                RawKafkaRequestReply.IN_FLIGHT + " in flight, " + kafka.requestBytes() + " B request / "
                        + kafka.replyBytes() + " B reply, acks=all");
    }

    private Figure rawPostgres(Platform platform) throws Exception {
        RawPostgresInserts.Result pg = new RawPostgresInserts(platform.database("playbill_bench"))
                .run(options.periods().warmUp(), options.periods().measured());
        return new Figure("d", POSTGRES, pg.commitsPerSecond(), "commits/s", null,
                RawPostgresInserts.CONNECTIONS + " connections, autocommit, each commit flushed");
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

    private static RenewRamp timed(ForeignCpu foreign, RenewRampStage stage) {
        RenewRamp[] ramp = new RenewRamp[1];
        List<Figure> figures = timed(foreign, () -> {
            ramp[0] = stage.run();
            return ramp[0].figures();
        });
        return new RenewRamp(figures, ramp[0].cpuPerRenew(), ramp[0].cpuPerStep());
    }

    private interface RenewRampStage {
        RenewRamp run();
    }

    /**
     * The figures of (b), the CPU each process spent per renew at {@link #CPU_RATE} (null if not measured) and at
     * every step that answered a renew.
     */
    private record RenewRamp(List<Figure> figures, BenchReport.CpuPerRenew cpuPerRenew,
                             List<BenchReport.CpuPerRenew> cpuPerStep) {
    }

    /**
     * (a): a second gateway in mode none; token issue and the bare request, then the HTTP floor, with the same
     * clients, the same request as token issue and the same durations.
     */
    private List<Figure> tokenIssueAgainstBaselines(Platform platform, HttpClient http,
                                                    ScheduledExecutorService timers, GatewayClient floorClient,
                                                    ProcessCpu cpu, List<String> jvmOptions, Path data, Map<String, Object> details) {
        String token = "token issue (authToken, mode none)";
        String bare = "bare authenticated call (stop, mode none)";
        String floorName = "HTTP floor (JDK HttpServer, same request)";
        out.println("(a) starting a gateway in billing mode none ...");
        BenchOptions.Periods periods = options.periods();
        try (NoneModeGateway none = NoneModeGateway.start(options.home(), platform, LoopbackPorts.free(), jvmOptions,
                data.resolve("run/logs"))) {
            GatewayClient gateway = new GatewayClient(http, none.url(), timers, new CallMetrics(), 0);
            List<String> users = new ArrayList<>();
            for (int i = 0; i < CLOSED_LOOP_USERS; i++) {
                users.add(DevCredentials.userToken("lgn-" + i, List.of(), Duration.ofHours(1)));
            }
            // stop in mode none: the same filters, authentication, controller and async answer, but no token.
            LongFunction<CompletableFuture<ApiResponse>> bareRequest =
                    n -> gateway.stop(users.get((int) (n % users.size())), "lgn" + n);
            LongFunction<CompletableFuture<ApiResponse>> tokenRequest =
                    n -> gateway.authToken(users.get((int) (n % users.size())), "lgn" + n);
            // The floor gets token issue's very request (path, query, bearer) and answers it unread.
            LongFunction<CompletableFuture<ApiResponse>> floorRequest =
                    n -> floorClient.authToken(users.get((int) (n % users.size())), "lgn" + n);
            // A fresh JVM: both paths get the JIT's attention before either is measured.
            ClosedLoopHttp warmUp = new ClosedLoopHttp(CLOSED_LOOP_CLIENTS, Duration.ZERO, periods.jitWarmUp());
            warmUp.run(bareRequest, 200);
            warmUp.run(tokenRequest, 200);
            warmUp.run(floorRequest, 200);
            ClosedLoopHttp load = new ClosedLoopHttp(CLOSED_LOOP_CLIENTS, periods.warmUp(), periods.measured());
            Duration window = periods.warmUp().plus(periods.measured());
            CpuPerRequest bareCpu = new CpuPerRequest(cpu, List.of(ProcessCpu.OTHER), window);
            ClosedLoopHttp.Result bareResult = bareCpu.around(() -> load.run(bareRequest, 200));
            CpuPerRequest tokenCpu = new CpuPerRequest(cpu, List.of(ProcessCpu.OTHER), window);
            ClosedLoopHttp.Result tokenResult = tokenCpu.around(() -> load.run(tokenRequest, 200));
            CpuPerRequest floorCpu = new CpuPerRequest(cpu, ProcessCpu.WHOLE_BENCH_JVM, window);
            ClosedLoopHttp.Result floorResult = floorCpu.around(() -> load.run(floorRequest, 200));
            details.put("aStatuses", Map.of("bare", bareResult.statuses(), "token", tokenResult.statuses(),
                    "floor", floorResult.statuses()));
            out.printf(Locale.ROOT, "  (a) bare %.0f/s %s, token %.0f/s %s, HTTP floor %.0f/s %s%n",
                    bareResult.perSecond(), bareResult.statuses(), tokenResult.perSecond(), tokenResult.statuses(),
                    floorResult.perSecond(), floorResult.statuses());
            Figure bareFigure = closedLoopFigure("a-bare", bare, bareResult, "POST /api/game/stop -> 200; "
                    + bareCpu.describe("none-mode gateway"));
            Figure tokenFigure = closedLoopFigure("a-token", token, tokenResult, "GET /api/game/authToken -> 200; "
                    + tokenCpu.describe("none-mode gateway"));
            Figure floorFigure = closedLoopFigure("a-floor", floorName, floorResult,
                    "GET /api/game/authToken -> 200; fixed answer, 4 server threads, in the bench JVM; "
                            + floorCpu.describe("bench JVM, client and floor"));
            return List.of(tokenFigure, bareFigure, floorFigure);
        } catch (Exception e) {
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return List.of(Figure.missing("a-token", token, "req/s", why), Figure.missing("a-bare", bare, "req/s", why),
                    Figure.missing("a-floor", floorName, "req/s", why));
        }
    }

    /**
     * (g): the ramp's top rate, offered open loop by the renew generator against the HTTP floor. If the floor cannot
     * answer within the p99 limit, neither the generator nor this box can offer that rate, and ramp steps near it
     * measure the bench rather than the platform.
     */
    private Figure generatorCheck(GatewayClient floorClient, ProcessCpu cpu, Map<String, Object> details)
            throws InterruptedException {
        int rate = options.topRate();
        out.println("(g) " + GENERATOR + " at " + rate + "/s ...");
        String bearer = DevCredentials.userToken("lgg", List.of(), Duration.ofHours(1));
        OfferedLoadRamp generator = new OfferedLoadRamp(n -> floorClient.renew(bearer, "lgg" + n, 0),
                options.periods().warmUp(), options.stepDuration(), options.p99Limit(), cpu, null, out);
        generator.offer(rate, options.periods().warmUp());
        OfferedLoadRamp.Step step = generator.offer(rate, options.stepDuration());
        details.put("generatorCheck", step);
        double benchJvmMs = step.ok() == 0 ? Double.NaN
                : ProcessCpu.sumOf(step.cpuSeconds(), ProcessCpu.WHOLE_BENCH_JVM) * 1000 / step.ok();
        return new Figure("g", GENERATOR, step.okPerSecond(), "requests/s", step.latency(), String.format(Locale.ROOT,
                "POST /api/game/renew at %d/s offered for %d s; sent late p99 %.1f ms; bench JVM (generator + "
                        + "floor) %.3f ms CPU/request; %s", rate, options.stepDuration().toSeconds(),
                step.sendLag().p99Ms(), benchJvmMs, generatorKeepsUp(step) ? "the generator keeps up"
                        : "NOT kept up: ramp steps near " + rate + "/s measure the bench, not the platform"));
    }

    /**
     * Every request sent, nearly every one on time, and all answered: the generator offered the rate. The floor's
     * own p99 is not the test (it shares the bench JVM with the broker and its pauses).
     */
    private static boolean generatorKeepsUp(OfferedLoadRamp.Step step) {
        return step.notSent() == 0 && step.sendLag().p99Ms() <= GENERATOR_SEND_LAG.toMillis()
                && step.ok() >= step.sent() * 0.999;
    }

    /**
     * The CPU one process group spent per request of a closed-loop run, its warm-up included: less sensitive to what
     * else the box does than the throughput, so it is what compares two versions of the gateway.
     */
    private static final class CpuPerRequest {

        private final ProcessCpu cpu;
        private final List<String> groups;
        private final Duration window;
        private double msPerRequest = Double.NaN;

        CpuPerRequest(ProcessCpu cpu, List<String> groups, Duration window) {
            this.cpu = cpu;
            this.groups = groups;
            this.window = window;
        }

        ClosedLoopHttp.Result around(ClosedLoopStage stage) throws InterruptedException {
            ProcessCpu.Sample before = cpu.sample();
            ClosedLoopHttp.Result result = stage.run();
            double seconds = ProcessCpu.sumOf(ProcessCpu.secondsBetween(before, cpu.sample()), groups);
            double requests = result.perSecond() * (window.toNanos() / 1e9);
            msPerRequest = requests == 0 ? Double.NaN : seconds * 1000 / requests;
            return result;
        }

        String describe(String who) {
            return String.format(Locale.ROOT, "%s %.3f ms CPU/request", who, msPerRequest);
        }
    }

    private interface ClosedLoopStage {
        ClosedLoopHttp.Result run() throws InterruptedException;
    }

    private static Figure closedLoopFigure(String key, String name, ClosedLoopHttp.Result result, String what) {
        long all = result.statuses().values().stream().mapToLong(Long::longValue).sum();
        if (result.expected() * 2 < all || result.expected() == 0) {
            return Figure.missing(key, name, "req/s", what.substring(0, what.indexOf(" ->")) + " answered "
                    + result.statuses() + " (status -> count) instead of" + what.substring(what.indexOf(" ->") + 3,
                    what.indexOf(';') < 0 ? what.length() : what.indexOf(';')));
        }
        return new Figure(key, name, result.perSecond(), "req/s", result.latency(),
                CLOSED_LOOP_CLIENTS + " closed-loop clients; " + what);
    }

    private RenewRamp renewRampOrMissing(GatewayClient gateway, String admin, String runId, ProcessCpu cpu,
                                         Supplier<Optional<LedgerWork>> ledgerWork,
                                         Supplier<ServiceMetrics> metrics, Map<String, Object> details) {
        out.println("(b) " + RENEW + " ...");
        try {
            return renewRamp(gateway, admin, runId, cpu, ledgerWork, metrics, details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return renewMissing("interrupted");
        } catch (RuntimeException e) {
            return renewMissing(e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private RenewRamp renewRamp(GatewayClient gateway, String admin, String runId, ProcessCpu cpu,
                                Supplier<Optional<LedgerWork>> ledgerWork,
                                Supplier<ServiceMetrics> metrics, Map<String, Object> details)
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
        Optional<LedgerWork> ledgerBefore = ledgerWork.get();
        Map<String, GcPauses> gcBefore = metrics.get().gcPauses();
        OfferedLoadRamp.Result ramp = new OfferedLoadRamp(n -> sessions.renew(gateway, (int) (n % sessions.size())),
                options.periods().warmUp(), options.stepDuration(), options.p99Limit(), cpu, metrics, out)
                .run(options.renewSteps(), Math.min(RENEW_WARM_UP_RATE, options.topRate()),
                        options.periods().jitWarmUp().multipliedBy(4));
        details.put("renewSteps", ramp.steps());
        // What the ledger did besides: with PLAYBILL_LEDGER_SNAPSHOTTHRESHOLD low enough, the snapshots it moved
        // off the intake (docs/performance.md, "Snapshots off the intake thread").
        ledgerBefore.flatMap(before -> ledgerWork.get().map(after -> after.since(before))).ifPresentOrElse(work -> {
            out.println("(b) command-service over the ramp, warm-up included: " + work.describe());
            details.put("ledgerWork", work);
        }, () -> out.println("(b) command-service's metrics could not be read"));
        // How often each service stood still for its collector while players waited (decision 039).
        Map<String, GcPauses> gcOverRamp = GcPauses.between(gcBefore, metrics.get().gcPauses());
        PlatformConfig.SERVICES.forEach(service -> {
            GcPauses pauses = gcOverRamp.get(service);
            out.println("(b) " + service + (pauses == null ? "'s GC metrics could not be read"
                    : " over the ramp, warm-up included: GC " + pauses.describe()));
        });
        details.put("gcPausesOverRamp", gcOverRamp);
        String how = sessions.size() + " sessions" + (sessions.firstFailure() == null ? ""
                : " (of " + options.sessions() + "; first set-up failure: " + sessions.firstFailure() + ")")
                + ", open loop, " + options.stepDuration().toSeconds() + " s steps";
        List<Figure> figures = new ArrayList<>(List.of(
                rampFigure("b", RENEW, ramp.maxSustained(), "highest step with p99 <= "
                        + options.p99Limit().toMillis() + " ms; " + how),
                rampFigure("b-cap", RENEW_CAPACITY, ramp.maxServed(), "highest step with p99 <= "
                        + OfferedLoadRamp.SERVED_P99.toMillis() + " ms and no loss; " + how)));
        figures.add(ramp.steps().stream().filter(step -> step.offeredPerSecond() == LOW_LOAD_RATE).findFirst()
                .map(step -> new Figure("b-25", RENEW_LOW_LOAD, step.latency().p99Ms(), "ms (p99)", step.latency(),
                        Math.round(step.okPerSecond()) + " ok/s; " + how))
                .orElse(Figure.missing("b-25", RENEW_LOW_LOAD, "ms (p99)", "the ramp has no step at "
                        + LOW_LOAD_RATE + "/s or stopped before it")));
        figures.add(projectionLagFigure(ramp.maxServed()));
        OfferedLoadRamp.Step cpuStep = cpuStep(ramp.steps());
        if (cpuStep == null || cpuStep.ok() == 0 || cpuStep.cpuSeconds().isEmpty()) {
            figures.add(Figure.missing("b-cpu", RENEW_CPU, "ms CPU/renew", "no step answered a renew"));
            return new RenewRamp(figures, null, List.of());
        }
        BenchReport.CpuPerRenew cpuPerRenew = BenchReport.CpuPerRenew.of(cpuStep);
        figures.add(new Figure("b-cpu", RENEW_CPU, cpuStep.cpuMsPerOk(), "ms CPU/renew", null, String.format(
                Locale.ROOT, "at %d/s offered (%.0f ok/s), from /proc over the step; %s %.2f ms; per process below",
                cpuStep.offeredPerSecond(), cpuStep.okPerSecond(), BenchReport.PLATFORM_ROW,
                cpuPerRenew.platformMsPerRenew())));
        // Below saturation each step's CPU is what its renews cost; at a saturated step it is only the cores / rate.
        List<BenchReport.CpuPerRenew> cpuPerStep = ramp.steps().stream()
                .filter(step -> step.ok() > 0 && !step.cpuSeconds().isEmpty())
                .map(BenchReport.CpuPerRenew::of).toList();
        return new RenewRamp(figures, cpuPerRenew, cpuPerStep);
    }

    /**
     * The step at {@link #CPU_RATE} if it was served, else the highest step served, else the first: a step the
     * platform could not serve spends its CPU on queueing, timeouts and 503s rather than on renews.
     */
    private static OfferedLoadRamp.Step cpuStep(List<OfferedLoadRamp.Step> steps) {
        List<OfferedLoadRamp.Step> served = steps.stream().filter(OfferedLoadRamp.Step::served)
                .filter(step -> step.offeredPerSecond() <= CPU_RATE).toList();
        return !served.isEmpty() ? served.get(served.size() - 1) : steps.isEmpty() ? null : steps.get(0);
    }

    private static RenewRamp renewMissing(String why) {
        return new RenewRamp(List.of(Figure.missing("b", RENEW, "renews/s", why),
                Figure.missing("b-cap", RENEW_CAPACITY, "renews/s", why),
                Figure.missing("b-25", RENEW_LOW_LOAD, "ms (p99)", why),
                Figure.missing("b-cpu", RENEW_CPU, "ms CPU/renew", why),
                Figure.missing("b-lag", PROJECTION_LAG, "ms (p99)", why)), null, List.of());
    }

    /**
     * The projection lag at the capacity step: the rate the platform answers renews at is only kept if the read
     * models keep up with it (issue 15: p99 within 1 s).
     */
    private static Figure projectionLagFigure(OfferedLoadRamp.Step capacity) {
        if (capacity == null || capacity.projectionLag() == null || capacity.projectionLag().events() == 0) {
            return Figure.missing("b-lag", PROJECTION_LAG, "ms (p99)", capacity == null ? "no step was served"
                    : "query-service's projection lag could not be read, or it projected nothing");
        }
        ProjectionLag lag = capacity.projectionLag();
        return new Figure("b-lag", PROJECTION_LAG, lag.atMostMs(0.99), "ms (p99)", null, String.format(Locale.ROOT,
                "at %d/s offered; event created in the ledger to its projection committed, %s",
                capacity.offeredPerSecond(), lag.brief()));
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
}
