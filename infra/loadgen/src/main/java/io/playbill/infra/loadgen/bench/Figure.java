package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.metrics.LatencySummary;

/**
 * One measured figure of the bench, or why it is missing.
 *
 * @param value   in {@code unit} (mostly per second); {@code NaN} when missing
 * @param latency the latency behind the figure, when it has one
 * @param detail       how it was measured, or why it is missing
 * @param foreignCores the average number of cores other processes kept busy meanwhile (see {@link ForeignCpu})
 */
public record Figure(String key, String name, double value, String unit, LatencySummary latency, String detail,
                     double foreignCores) {

    public Figure(String key, String name, double value, String unit, LatencySummary latency, String detail) {
        this(key, name, value, unit, latency, detail, Double.NaN);
    }

    public static Figure missing(String key, String name, String unit, String why) {
        return new Figure(key, name, Double.NaN, unit, null, "MISSING: " + why);
    }

    public Figure withForeignCores(double cores) {
        return new Figure(key, name, value, unit, latency, detail, cores);
    }

    public boolean present() {
        return !Double.isNaN(value);
    }
}
