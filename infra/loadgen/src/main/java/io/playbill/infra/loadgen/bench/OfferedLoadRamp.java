package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.client.GatewayClient;
import io.playbill.infra.loadgen.metrics.LatencyRecorder;
import io.playbill.infra.loadgen.metrics.LatencySummary;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
 */
final class OfferedLoadRamp {

    /** Requests in flight beyond this are not sent but counted as lost: the platform is far behind. */
    static final int MAX_IN_FLIGHT = 4_000;
    private static final double MAX_LOSS = 0.001;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration DRAIN = Duration.ofSeconds(12);
    static final Duration SERVED_P99 = Duration.ofSeconds(1);

    record Step(int offeredPerSecond, long sent, long ok, long failed, long notSent, double okPerSecond,
                LatencySummary latency, Map<String, Long> failures, boolean sustained, boolean served) {
    }

    /** The highest sustained and served steps (null when none was). */
    record Result(List<Step> steps, Step maxSustained, Step maxServed) {
    }

    private final GatewayClient gateway;
    private final RenewSessions sessions;
    private final Duration stepDuration;
    private final Duration p99Limit;
    private final PrintStream out;

    OfferedLoadRamp(GatewayClient gateway, RenewSessions sessions, Duration stepDuration, Duration p99Limit,
                    PrintStream out) {
        this.gateway = gateway;
        this.sessions = sessions;
        this.stepDuration = stepDuration;
        this.p99Limit = p99Limit;
        this.out = out;
    }

    Result run(List<Integer> rates) throws InterruptedException {
        offer(rates.get(0), WARM_UP);
        List<Step> steps = new ArrayList<>();
        Step sustained = null;
        Step served = null;
        for (int rate : rates) {
            Step step = offer(rate, stepDuration);
            steps.add(step);
            out.printf(Locale.ROOT, "  (b) %5d renews/s offered: %7.0f ok/s, p50 %.1f ms, p99 %.1f ms, failed %d, "
                            + "not sent %d -> %s%s%n", rate, step.okPerSecond(), step.latency().p50Ms(),
                    step.latency().p99Ms(), step.failed(), step.notSent(),
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

    private Step offer(int rate, Duration duration) throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
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
            sessions.renew(gateway, (int) (i % sessions.size())).thenAccept(answer -> {
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
        LatencySummary latency = latencies.total();
        long lost = latencies.failed() + notSent + inFlight.get();
        boolean served = lost <= MAX_LOSS * total && latency.p99Ms() <= SERVED_P99.toMillis();
        boolean sustained = served && latency.p99Ms() <= p99Limit.toMillis();
        return new Step(rate, total - notSent, latencies.ok(), latencies.failed() + inFlight.get(), notSent,
                latencies.ok() / (duration.toNanos() / 1e9), latency, latencies.failureReasons(), sustained,
                served);
    }
}
