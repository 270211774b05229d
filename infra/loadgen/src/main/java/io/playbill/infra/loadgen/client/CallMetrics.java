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
        retried.computeIfAbsent(errorCode.isEmpty() ? "none" : errorCode, code -> new LongAdder()).increment();
    }

    /** 503 answers that were retried after their Retry-After. */
    public long retries() {
        return retried.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** {@link #retries()} by the answers' error code ({@code none} for an answer without one), in code order. */
    public Map<String, Long> retriesByCode() {
        Map<String, Long> byCode = new TreeMap<>();
        retried.forEach((code, count) -> byCode.put(code, count.sum()));
        return byCode;
    }

    void retriedAfterTransportFailure(Call call, String reason) {
        retriedAfterTransportFailure.computeIfAbsent(call.name().toLowerCase(Locale.ROOT) + ": " + reason,
                key -> new LongAdder()).increment();
    }

    /** Requests that timed out or lost their connection and were sent again. */
    public long transportRetries() {
        return retriedAfterTransportFailure.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** {@link #transportRetries()} by call and cause ({@code "stop: timeout"}), in that order. */
    public Map<String, Long> transportRetriesByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        retriedAfterTransportFailure.forEach((reason, count) -> byReason.put(reason, count.sum()));
        return byReason;
    }

    /** Final failures over every call. */
    public long failures() {
        return recorders.values().stream().mapToLong(LatencyRecorder::failed).sum();
    }
}
