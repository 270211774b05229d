package io.playbill.infra.loadgen.bench;

import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * query-service's projection lag: from an event's creation in the ledger to the commit of its projection, read from
 * the histogram {@code playbill.projection.lag} on its {@code /actuator/prometheus} before and after each ramp step.
 * It holds every hop behind the renew's answer (the publisher, the events topic, the projections), so a step whose
 * renews are answered in time while the read models fall further behind says so.
 *
 * @param atMost events counted per bucket: how many took at most that many seconds (Prometheus' cumulative
 *               {@code le} buckets, {@code +Inf} included)
 */
record ProjectionLag(NavigableMap<Double, Double> atMost) {

    private static final String BUCKET = "playbill_projection_lag_seconds_bucket{";

    /** The buckets in a Prometheus text exposition, summed over every processor; none when it has no such metric. */
    static ProjectionLag parse(String exposition) {
        NavigableMap<Double, Double> atMost = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            int le = line.indexOf("le=\"");
            if (!line.startsWith(BUCKET) || le < 0) {
                continue;
            }
            String bound = line.substring(le + 4, line.indexOf('"', le + 4));
            double seconds = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            double count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            atMost.merge(seconds, count, Double::sum);
        }
        return new ProjectionLag(atMost);
    }

    /** The events projected between {@code earlier} and this reading. */
    ProjectionLag since(ProjectionLag earlier) {
        NavigableMap<Double, Double> between = new TreeMap<>();
        atMost.forEach((bound, count) -> between.put(bound, count - earlier.atMost.getOrDefault(bound, 0.0)));
        return new ProjectionLag(between);
    }

    /** How many events were projected. */
    long events() {
        return atMost.isEmpty() ? 0 : Math.round(atMost.lastEntry().getValue());
    }

    /**
     * The upper bound of the bucket that holds the {@code quantile} (0..1] of the events, in milliseconds: the lag is
     * at most this. NaN when no event was projected; infinite when it lies beyond the last finite bucket.
     */
    double atMostMs(double quantile) {
        double events = events();
        if (events == 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> bucket : atMost.entrySet()) {
            if (bucket.getValue() >= quantile * events) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** For a ramp step's line: the p99 and the largest lag, as bucket bounds, with the events they are of. */
    String brief() {
        return events() == 0 ? "(no event projected)" : String.format(Locale.ROOT, "p99 <= %s, max <= %s (%,d events)",
                millis(atMostMs(0.99)), millis(atMostMs(1.0)), events());
    }

    private static String millis(double ms) {
        return Double.isInfinite(ms) ? "beyond the histogram" : String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
