package io.playbill.infra.loadgen.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies and outcomes of one kind of call, recorded from any thread without locks (HdrHistogram's
 * {@link Recorder}). One reader takes per-second intervals for the progress line; every interval is also added
 * to the run's total, so the final percentiles are exact over every recorded call.
 */
public final class LatencyRecorder {

    /** Anything slower than two minutes is recorded as two minutes: the requests time out long before. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private Histogram recycled;

    public void success(long latencyNanos) {
        ok.increment();
        record(latencyNanos);
    }

    /** A final failure (after any retries); {@code reason} is e.g. {@code "503"} or {@code "timeout"}. */
    public void failure(long latencyNanos, String reason) {
        failed.increment();
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        record(latencyNanos);
    }

    /** A latency without an outcome count, for calls whose outcome is counted elsewhere. */
    public void record(long latencyNanos) {
        recorder.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(latencyNanos))));
    }

    /** The latencies recorded since the previous call. */
    public synchronized LatencySummary interval() {
        recycled = recorder.getIntervalHistogram(recycled);
        total.add(recycled);
        return LatencySummary.of(recycled);
    }

    /** Every latency recorded so far. */
    public synchronized LatencySummary total() {
        interval();
        return LatencySummary.of(total);
    }

    public long ok() {
        return ok.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** Failure reason → count, sorted by reason. */
    public Map<String, Long> failureReasons() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }
}
