package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.client.ApiResponse;
import io.playbill.infra.loadgen.metrics.LatencyRecorder;
import io.playbill.infra.loadgen.metrics.LatencySummary;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Maximum throughput of one kind of request: a fixed number of clients, each sending its next request as soon as
 * the previous one is answered (closed loop), for a warm-up and then a measured period. Used for (a), where two
 * endpoints of the same gateway are compared under identical load, so the ratio is what matters.
 */
final class ClosedLoopHttp {

    /** Requests per second answered with the expected status, their latency, and every status seen. */
    record Result(double perSecond, LatencySummary latency, long expected, Map<Integer, Long> statuses) {
    }

    private final int clients;
    private final Duration warmUp;
    private final Duration measured;

    ClosedLoopHttp(int clients, Duration warmUp, Duration measured) {
        this.clients = clients;
        this.warmUp = warmUp;
        this.measured = measured;
    }

    /**
     * @param request        sends request number {@code n}
     * @param expectedStatus the status a correct answer has
     */
    Result run(LongFunction<CompletableFuture<ApiResponse>> request, int expectedStatus)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        LatencyRecorder latencies = new LatencyRecorder();
        Map<Integer, Long> statuses = new TreeMap<>();
        AtomicLong sequence = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            loop(request, expectedStatus, measureFrom, measureUntil, latencies, statuses, sequence, done);
        }
        // Every client stops at measureUntil; a request timeout (10 s) bounds the last answer.
        done.await(measured.plus(warmUp).toSeconds() + 15, TimeUnit.SECONDS);
        long expected = latencies.ok();
        synchronized (statuses) {
            return new Result(expected / (measured.toNanos() / 1e9), latencies.total(), expected,
                    new TreeMap<>(statuses));
        }
    }

    private void loop(LongFunction<CompletableFuture<ApiResponse>> request, int expectedStatus, long measureFrom,
                      long measureUntil, LatencyRecorder latencies, Map<Integer, Long> statuses,
                      AtomicLong sequence, CountDownLatch done) {
        if (System.nanoTime() >= measureUntil) {
            done.countDown();
            return;
        }
        request.apply(sequence.getAndIncrement()).thenAccept(answer -> {
            if (answer.sentNanos() >= measureFrom && answer.receivedNanos() <= measureUntil) {
                long latency = answer.receivedNanos() - answer.sentNanos();
                if (answer.status() == expectedStatus) {
                    latencies.success(latency);
                } else {
                    latencies.failure(latency, String.valueOf(answer.status()));
                }
                synchronized (statuses) {
                    statuses.merge(answer.status(), 1L, Long::sum);
                }
            }
            loop(request, expectedStatus, measureFrom, measureUntil, latencies, statuses, sequence, done);
        });
    }
}
