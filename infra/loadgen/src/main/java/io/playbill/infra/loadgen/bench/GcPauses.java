package io.playbill.infra.loadgen.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A service JVM's stop-the-world garbage-collection pauses, read from its Prometheus timer {@code jvm_gc_pause}
 * (Micrometer's JVM metrics) before and after the renew ramp and each of its steps: how often and how long the service
 * stood still while players waited (docs/performance.md, "The service JVMs' collector and starting sizes").
 * Concurrent phases are a separate timer and not counted.
 *
 * @param pauses       pauses of any kind
 * @param seconds      their total time
 * @param fullPauses   pauses that collected the old generation too ({@code action="end of major GC"})
 * @param fullSeconds  their total time
 */
record GcPauses(double pauses, double seconds, double fullPauses, double fullSeconds) {

    private static final String COUNT = "jvm_gc_pause_seconds_count";
    private static final String SUM = "jvm_gc_pause_seconds_sum";
    private static final String FULL = "action=\"end of major GC\"";

    /** The sum over every collector, action and cause in a Prometheus text exposition; absent counts 0. */
    static GcPauses parse(String exposition) {
        return new GcPauses(PrometheusText.sum(exposition, COUNT), PrometheusText.sum(exposition, SUM),
                PrometheusText.sum(exposition, COUNT, FULL), PrometheusText.sum(exposition, SUM, FULL));
    }

    /** What happened between {@code earlier} and this reading. */
    GcPauses since(GcPauses earlier) {
        return new GcPauses(pauses - earlier.pauses, seconds - earlier.seconds, fullPauses - earlier.fullPauses,
                fullSeconds - earlier.fullSeconds);
    }

    String describe() {
        return String.format(Locale.ROOT, "%.0f pauses, %.0f ms in all; %.0f of them full, %.0f ms in all", pauses,
                seconds * 1000, fullPauses, fullSeconds * 1000);
    }

    /** Each service's pauses between two readings; a service missing from either reading is left out. */
    static Map<String, GcPauses> between(Map<String, GcPauses> before, Map<String, GcPauses> after) {
        Map<String, GcPauses> between = new LinkedHashMap<>();
        before.forEach((service, earlier) -> {
            GcPauses later = after.get(service);
            if (later != null) {
                between.put(service, later.since(earlier));
            }
        });
        return between;
    }

    /** One line for a ramp step: each service's pause time, and how many of its pauses were full ones. */
    static String brief(Map<String, GcPauses> byService) {
        return byService.entrySet().stream().map(service -> String.format(Locale.ROOT, "%s %.0f ms%s",
                service.getKey(), service.getValue().seconds * 1000, service.getValue().fullPauses == 0 ? ""
                        : String.format(Locale.ROOT, " (%.0f full)", service.getValue().fullPauses)))
                .collect(Collectors.joining(" / "));
    }
}
