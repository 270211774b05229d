package io.playbill.infra.loadgen.client;

import io.playbill.infra.loadgen.metrics.LatencyRecorder;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One {@link LatencyRecorder} per {@link Call}, plus the counts of retried 503s and transport failures. */
public final class CallMetrics {

    private final Map<Call, LatencyRecorder> recorders = new EnumMap<>(Call.class);
    private final LongAdder retried = new LongAdder();
    private final LongAdder retriedAfterTransportFailure = new LongAdder();

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

    void retriedAfterTransportFailure() {
        retriedAfterTransportFailure.increment();
    }

    /** Requests that timed out or lost their connection and were sent again. */
    public long transportRetries() {
        return retriedAfterTransportFailure.sum();
    }

    /** Final failures over every call. */
    public long failures() {
        return recorders.values().stream().mapToLong(LatencyRecorder::failed).sum();
    }
}
