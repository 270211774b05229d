package io.playbill.infra.loadgen.metrics;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** Percentiles of one histogram of microsecond latencies, in milliseconds. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                             double meanMs) {

    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()), micros.getMean() / 1000.0);
    }

    /** "p50 1.2 ms p99 8.4 ms". */
    public String brief() {
        return String.format(Locale.ROOT, "p50 %s ms p99 %s ms", round(p50Ms), round(p99Ms));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    static String round(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }
}
