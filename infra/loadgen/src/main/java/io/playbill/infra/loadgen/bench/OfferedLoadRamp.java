package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.metrics.LatencyRecorder;
import io.playbill.infra.loadgen.metrics.LatencySummary;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * (b) Renews end to end at increasing offered load. Open loop: request {@code i} of a step is due at
 * {@code start + i / rate} whether or not earlier ones were answered, and its latency is measured from that due
 * time — so a platform that falls behind shows it in the latency instead of silently slowing the generator down
 * (no coordinated omission).
 *
 * <p>A step is <em>sustained</em> when its p99 stays within the limit (50 ms) and it loses at most 0.1 % of its
 * requests; it is <em>served</em> when it loses at most 0.1 % with a p99 within {@link #SERVED_P99} (well inside
 * the SDK's 30 s renew window). The ramp goes on while steps are served, so it reports both the rate at the latency
 * target and the capacity, which is what compares with the raw baselines when the target is out of reach.
 *
 * <p>One thread offers the load and does nothing else; how late it sent each request is recorded too
 * ({@link Step#sendLag}), so a step where the generator itself could not keep up says so. With a {@link ProcessCpu},
 * every step also records the CPU each process of the platform used from its start until its last answer; with GC
 * readings, each service's collector pauses over the same span, so a step's p99 can be told from a full collection.
 */
final class OfferedLoadRamp {

    /** Requests in flight beyond this are not sent but counted as lost: the platform is far behind. */
    static final int MAX_IN_FLIGHT = 4_000;
    private static final double MAX_LOSS = 0.001;
    private static final Duration DRAIN = Duration.ofSeconds(12);
    static final Duration SERVED_P99 = Duration.ofSeconds(1);

    /**
     * @param sendLag    how late the generator sent each request after its due time
     * @param cpuSeconds CPU seconds per process group ({@link ProcessCpu#GROUPS}) over the step; empty without a
     *                   {@link ProcessCpu}
     * @param cpuWallSeconds the wall time those CPU seconds were taken over: the step and the wait for its answers
     * @param gcPauses   each service's collector pauses over that time; empty without GC readings
     * @param projectionLag the lag of the events query-service projected over that time; null without its readings
     */
    record Step(int offeredPerSecond, long sent, long ok, long failed, long notSent, double okPerSecond,
                LatencySummary latency, Map<String, Long> failures, boolean sustained, boolean served,
                LatencySummary sendLag, Map<String, Double> cpuSeconds, double cpuWallSeconds,
                Map<String, GcPauses> gcPauses, ProjectionLag projectionLag) {

        /** CPU milliseconds per request answered ok, summed over every process; NaN without CPU samples. */
        double cpuMsPerOk() {
            return cpuSeconds.isEmpty() || ok == 0 ? Double.NaN
                    : cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() * 1000 / ok;
        }
    }

    /** The highest sustained and served steps (null when none was). */
    record Result(List<Step> steps, Step maxSustained, Step maxServed) {
    }

    private final LongFunction<CompletableFuture<ApiResponse>> request;
    private final Duration warmUp;
    private final Duration stepDuration;
    private final Duration p99Limit;
    private final ProcessCpu cpu;
    private final Supplier<ServiceMetrics> metrics;
    private final PrintStream out;

    /**
     * @param request    sends request number {@code n} of a step
     * @param warmUp     the first step's rate is offered this long before the ramp starts
     * @param cpu        samples the platform's processes per step; null for none
     * @param metrics    reads each service's collector pauses and query-service's projection lag so far; null for none
     */
    OfferedLoadRamp(LongFunction<CompletableFuture<ApiResponse>> request, Duration warmUp, Duration stepDuration,
                    Duration p99Limit, ProcessCpu cpu, Supplier<ServiceMetrics> metrics, PrintStream out) {
        this.request = request;
        this.warmUp = warmUp;
        this.stepDuration = stepDuration;
        this.p99Limit = p99Limit;
        this.cpu = cpu;
        this.metrics = metrics;
        this.out = out;
    }

    /**
     * The ramp over {@code rates}, after {@code jitWarmUpRate} renews a second offered for {@code jitWarmUp}, not
     * measured: the platform's JVMs start cold, and compiling the renew path during the first steps cost more CPU
     * than the renews themselves and put the compiler's pauses into their p99.
     */
    Result run(List<Integer> rates, int jitWarmUpRate, Duration jitWarmUp) throws InterruptedException {
        if (!jitWarmUp.isZero()) {
            out.printf(Locale.ROOT, "(b) warming up: %d renews/s for %d s, not measured ...%n", jitWarmUpRate,
                    jitWarmUp.toSeconds());
            offer(jitWarmUpRate, jitWarmUp);
        }
        offer(rates.get(0), warmUp);
        List<Step> steps = new ArrayList<>();
        Step sustained = null;
        Step served = null;
        for (int rate : rates) {
            Step step = offer(rate, stepDuration);
            steps.add(step);
            out.printf(Locale.ROOT, "  (b) %5d renews/s offered: %7.0f ok/s, p50 %.1f ms, p99 %.1f ms, failed %d, "
                            + "not sent %d, sent late p99 %.1f ms, CPU %.2f ms/renew%s%s -> %s%s%n", rate,
                    step.okPerSecond(), step.latency().p50Ms(), step.latency().p99Ms(), step.failed(),
                    step.notSent(), step.sendLag().p99Ms(), step.cpuMsPerOk(),
                    step.gcPauses().isEmpty() ? "" : ", GC " + GcPauses.brief(step.gcPauses()),
                    step.projectionLag() == null ? "" : ", projection lag " + step.projectionLag().brief(),
                    step.sustained() ? "sustained" : step.served() ? "served, p99 over the limit" : "NOT served",
                    step.failures().isEmpty() ? "" : " " + step.failures());
            if (!step.served()) {
                break;
            }
            served = step;
            if (step.sustained()) {
                sustained = step;
            }
        }
        return new Result(steps, sustained, served);
    }

    /** Offers {@code rate} requests a second for {@code duration}, then waits for the answers (at most 12 s). */
    Step offer(int rate, Duration duration) throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
        LatencyRecorder sendLag = new LatencyRecorder();
        // Read outside the CPU span, so that the scrapes' own work is not counted as the step's.
        ServiceMetrics metricsBefore = metrics == null ? null : metrics.get();
        ProcessCpu.Sample cpuBefore = cpu == null ? null : cpu.sample();
        long cpuFrom = System.nanoTime();
        AtomicInteger inFlight = new AtomicInteger();
        long total = Math.round(rate * (duration.toNanos() / 1e9));
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long notSent = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                notSent++;
                continue;
            }
            inFlight.incrementAndGet();
            sendLag.record(System.nanoTime() - due);
            request.apply(i).thenAccept(answer -> {
                long latency = answer.receivedNanos() - due;
                if (answer.ok()) {
                    latencies.success(latency);
                } else {
                    latencies.failure(latency, answer.failureReason());
                }
                inFlight.decrementAndGet();
            });
        }
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(10);
        }
        Map<String, Double> cpuSeconds = cpu == null ? Map.of()
                : ProcessCpu.secondsBetween(cpuBefore, cpu.sample());
        double cpuWallSeconds = (System.nanoTime() - cpuFrom) / 1e9;
        ServiceMetrics metricsAfter = metrics == null ? null : metrics.get();
        Map<String, GcPauses> gcPauses = metricsAfter == null ? Map.of()
                : GcPauses.between(metricsBefore.gcPauses(), metricsAfter.gcPauses());
        ProjectionLag projectionLag = metricsAfter == null ? null : metricsAfter.projectionLagSince(metricsBefore);
        LatencySummary latency = latencies.total();
        long lost = latencies.failed() + notSent + inFlight.get();
        boolean served = lost <= MAX_LOSS * total && latency.p99Ms() <= SERVED_P99.toMillis();
        boolean sustained = served && latency.p99Ms() <= p99Limit.toMillis();
        return new Step(rate, total - notSent, latencies.ok(), latencies.failed() + inFlight.get(), notSent,
                latencies.ok() / (duration.toNanos() / 1e9), latency, latencies.failureReasons(), sustained,
                served, sendLag.total(), cpuSeconds, cpuWallSeconds, gcPauses, projectionLag);
    }
}
