package io.playbill.infra.loadgen.client;

import io.playbill.infra.loadgen.metrics.LatencyRecorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One {@link LatencyRecorder} per {@link Call}, plus the count of 503s that were retried. */
public final class CallMetrics {

    private final Map<Call, LatencyRecorder> recorders = new EnumMap<>(Call.class);
    private final LongAdder retried = new LongAdder();

    public CallMetrics() {
        for (Call call : Call.values()) {
            recorders.put(call, new LatencyRecorder());
        }
    }

    public LatencyRecorder of(Call call) {
        return recorders.get(call);
    }

    void retried() {
        retried.increment();
    }

    /** 503 answers that were retried after their Retry-After. */
    public long retries() {
        return retried.sum();
    }

    /** Final failures over every call. */
    public long failures() {
        return recorders.values().stream().mapToLong(LatencyRecorder::failed).sum();
    }
}
