package io.playbill.infra.loadgen.client;

import io.playbill.infra.loadgen.metrics.LatencyRecorder;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@link LatencyRecorder} per {@link Call}, plus the counts of retried 503s, by the gateway's error code
 * ({@code busy}: shed at admission; {@code ledger_unavailable}: the ledger did not answer in time), and of transport
 * failures by call and cause.
 */
public final class CallMetrics {

    private final Map<Call, LatencyRecorder> recorders = new EnumMap<>(Call.class);
    private final ConcurrentMap<String, LongAdder> retried = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> retriedAfterTransportFailure = new ConcurrentHashMap<>();

    public CallMetrics() {
        for (Call call : Call.values()) {
            recorders.put(call, new LatencyRecorder());
        }
    }

    public LatencyRecorder of(Call call) {
        return recorders.get(call);
    }

    void retried(String errorCode) {
        count(retried, errorCode.isEmpty() ? "none" : errorCode);
    }

    /** 503 answers that were retried after their Retry-After. */
    public long retries() {
        return total(retried);
    }

    /** {@link #retries()} by the answers' error code ({@code none} for an answer without one), in code order. */
    public Map<String, Long> retriesByCode() {
        return inKeyOrder(retried);
    }

    void retriedAfterTransportFailure(Call call, String reason) {
        count(retriedAfterTransportFailure, call.name().toLowerCase(Locale.ROOT) + ": " + reason);
    }

    /** Requests that timed out or lost their connection and were sent again. */
    public long transportRetries() {
        return total(retriedAfterTransportFailure);
    }

    /** {@link #transportRetries()} by call and cause ({@code "stop: timeout"}), in that order. */
    public Map<String, Long> transportRetriesByReason() {
        return inKeyOrder(retriedAfterTransportFailure);
    }

    private static void count(ConcurrentMap<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long total(Map<String, LongAdder> counts) {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> inKeyOrder(Map<String, LongAdder> counts) {
        Map<String, Long> sums = new TreeMap<>();
        counts.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }

    /** Final failures over every call. */
    public long failures() {
        return recorders.values().stream().mapToLong(LatencyRecorder::failed).sum();
    }
}
