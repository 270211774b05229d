package io.playbill.infra.loadgen.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The bench's table: every figure with its latency, then the ratios between figures of the same run — the
 * numbers that carry over to another machine — with the targets they are judged against.
 */
final class BenchReport {

    /** A ratio between two figures, with its target when there is one. */
    record Ratio(String name, double value, String target, String verdict) {
    }

    /** Above this many cores used by others, the machine was not the bench's own. */
    private static final double BUSY_MACHINE_CORES = 0.2;

    private final List<Figure> figures;
    private final Map<String, Object> details;
    private final Map<String, Long> peakResidentMb;
    private final List<String> jvmOptions;

    BenchReport(List<Figure> figures, Map<String, Object> details, Map<String, Long> peakResidentMb,
                List<String> jvmOptions) {
        this.figures = figures;
        this.details = details;
        this.peakResidentMb = peakResidentMb;
        this.jvmOptions = jvmOptions;
    }

    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        ratios.add(ratio("(a) token issue / bare request", "a-token", "a-bare", 0.8));
        ratios.add(ratio("(b) renew / (c) raw Kafka round trip", "b", "c", Double.NaN));
        ratios.add(ratio("(b) renew / (d) raw PostgreSQL commit", "b", "d", Double.NaN));
        ratios.add(ratio("(b-cap) renew capacity / (c) raw Kafka", "b-cap", "c", Double.NaN));
        ratios.add(ratio("(b-cap) renew capacity / (d) raw PostgreSQL", "b-cap", "d", Double.NaN));
        return ratios;
    }

    void printText(PrintStream out) {
        out.println();
        out.printf("%-9s %-46s %12s %-14s %8s %8s %6s  %s%n", "", "figure", "value", "unit", "p50 ms", "p99 ms",
                "other", "how");
        for (Figure f : figures) {
            String value = f.present() ? String.format(Locale.ROOT, "%,.0f", f.value()) : "-";
            String p50 = f.latency() == null ? "" : String.format(Locale.ROOT, "%.1f", f.latency().p50Ms());
            String p99 = f.latency() == null ? "" : String.format(Locale.ROOT, "%.1f", f.latency().p99Ms());
            String other = Double.isNaN(f.foreignCores()) ? "" : String.format(Locale.ROOT, "%.2f", f.foreignCores());
            out.printf("%-9s %-46s %12s %-14s %8s %8s %6s  %s%n", "(" + f.key() + ")", f.name(), value, f.unit(),
                    p50, p99, other, f.detail());
        }
        out.println("          (other = cores kept busy by processes outside the bench during that figure; "
                + "the box has 2)");
        if (figures.stream().anyMatch(f -> f.foreignCores() > BUSY_MACHINE_CORES)) {
            out.println("          WARNING: other processes used the CPU during the run: those figures are lower "
                    + "than on a quiet machine");
        }
        target("b", 3000, "renew target >= 3,000/s at p99 <= 50 ms").ifPresent(out::println);
        target("e", 100_000, "audit replay target >= 100,000 events/s").ifPresent(out::println);
        out.println();
        for (Ratio ratio : ratios()) {
            out.printf(Locale.ROOT, "%-42s %10s  %s %s%n", ratio.name(),
                    Double.isNaN(ratio.value()) ? "-" : String.format(Locale.ROOT, "%.3f", ratio.value()),
                    ratio.target(), ratio.verdict());
        }
        out.println();
        out.println("Service JVM options: " + String.join(" ", jvmOptions));
        out.println("Peak resident memory per service (MB, whole process): " + peakResidentMb);
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("figures", figures);
        json.put("ratios", ratios());
        json.put("serviceJvmOptions", jvmOptions);
        json.put("peakResidentMb", peakResidentMb);
        json.put("details", details);
        Files.createDirectories(file.toAbsolutePath().getParent());
        // A missing figure's NaN is written as the string "NaN", which keeps the JSON valid.
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private Optional<String> target(String key, double target, String what) {
        return figure(key).filter(Figure::present).map(f -> String.format(Locale.ROOT,
                "     %s: measured %,.0f = %.2fx the target%s", what, f.value(), f.value() / target,
                f.value() >= target ? " (met)" : " (missed by " + Math.round(target - f.value()) + "/s)"));
    }

    private Ratio ratio(String name, String over, String under, double target) {
        Optional<Figure> a = figure(over).filter(Figure::present);
        Optional<Figure> b = figure(under).filter(Figure::present);
        if (a.isEmpty() || b.isEmpty() || b.get().value() == 0) {
            return new Ratio(name, Double.NaN, Double.isNaN(target) ? "" : "target >= " + target,
                    "(a figure is missing)");
        }
        double value = a.get().value() / b.get().value();
        if (Double.isNaN(target)) {
            return new Ratio(name, value, "", "");
        }
        return new Ratio(name, value, "target >= " + target, value >= target ? "(met)"
                : String.format(Locale.ROOT, "(missed by %.0f %%)", (target - value) / target * 100));
    }

    private Optional<Figure> figure(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst();
    }
}
