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
import java.util.function.Function;

/**
 * The bench's table: every figure with its latency, then the ratios between figures of the same run — the
 * numbers that carry over to another machine — with the targets they are judged against.
 */
final class BenchReport {

    /** A ratio between two figures, with its target when there is one. */
    record Ratio(String name, double value, String target, String verdict) {
    }

    /**
     * What one renew cost in CPU, per process, over one ramp step.
     *
     * @param msPerRenew CPU milliseconds per renew answered ok, per process group ({@link ProcessCpu#GROUPS})
     * @param seconds    the wall time the CPU was sampled over (the step and the wait for its last answers)
     * @param cores      the average number of cores each group kept busy over that time
     */
    record CpuPerRenew(int offeredPerSecond, double okPerSecond, double seconds, Map<String, Double> msPerRenew,
                       Map<String, Double> cores) {

        static CpuPerRenew of(OfferedLoadRamp.Step step) {
            double seconds = step.cpuWallSeconds();
            Map<String, Double> ms = new LinkedHashMap<>();
            Map<String, Double> cores = new LinkedHashMap<>();
            step.cpuSeconds().forEach((group, cpu) -> {
                ms.put(group, cpu * 1000 / step.ok());
                cores.put(group, cpu / seconds);
            });
            return new CpuPerRenew(step.offeredPerSecond(), step.okPerSecond(), seconds, ms, cores);
        }

        double totalMsPerRenew() {
            return msPerRenew.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** What the platform's processes spent: all but the bench's own part of its JVM (the load generator). */
        double platformMsPerRenew() {
            return ProcessCpu.sumOf(msPerRenew, ProcessCpu.PLATFORM);
        }
    }

    /** The total less the rest of the bench JVM: what a deployment of the platform would spend. */
    static final String PLATFORM_ROW = "platform (total without the rest of the bench JVM)";

    /** Above this many cores used by others, the machine was not the bench's own. */
    private static final double BUSY_MACHINE_CORES = 0.2;

    private final List<Figure> figures;
    private final Map<String, Object> details;
    private final Map<String, Long> peakResidentMb;
    private final List<String> jvmOptions;
    private final CpuPerRenew cpuPerRenew;
    private final List<CpuPerRenew> cpuPerStep;

    /**
     * @param cpuPerRenew null when the ramp did not measure it
     * @param cpuPerStep  every ramp step that answered a renew, in ramp order; empty when not measured
     */
    BenchReport(List<Figure> figures, Map<String, Object> details, Map<String, Long> peakResidentMb,
                List<String> jvmOptions, CpuPerRenew cpuPerRenew, List<CpuPerRenew> cpuPerStep) {
        this.figures = figures;
        this.details = details;
        this.peakResidentMb = peakResidentMb;
        this.jvmOptions = jvmOptions;
        this.cpuPerRenew = cpuPerRenew;
        this.cpuPerStep = cpuPerStep;
    }

    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        ratios.add(ratio("(a) token issue / bare request", "a-token", "a-bare", 0.8));
        ratios.add(ratio("(a) token issue / HTTP floor", "a-token", "a-floor", Double.NaN));
        ratios.add(ratio("(a) bare request / HTTP floor", "a-bare", "a-floor", Double.NaN));
        ratios.add(ratio("(b) renew / (c) raw Kafka round trip", "b", "c", 0.15));
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
            String value = !f.present() ? "-" : String.format(Locale.ROOT, f.value() < 100 ? "%,.2f" : "%,.0f",
                    f.value());
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
        atLeast("a-token", 5000, "token issue target >= 5,000 req/s").ifPresent(out::println);
        atLeast("b", 3000, "renew target >= 3,000/s at p99 <= 50 ms").ifPresent(out::println);
        atMost("b-25", 20, "renew p99 at 25/s target <= 20 ms").ifPresent(out::println);
        atMost("b-cpu", 1, "CPU per renew target <= 1 ms").ifPresent(out::println);
        atMost("b-lag", 1000, "projection lag p99 at the capacity step target <= 1,000 ms").ifPresent(out::println);
        atLeast("e", 100_000, "audit replay target >= 100,000 events/s").ifPresent(out::println);
        printCpuPerRenew(out);
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
        json.put("cpuPerRenew", cpuPerRenew);
        json.put("cpuPerRenewByStep", cpuPerStep);
        json.put("serviceJvmOptions", jvmOptions);
        json.put("peakResidentMb", peakResidentMb);
        json.put("details", details);
        Files.createDirectories(file.toAbsolutePath().getParent());
        // A missing figure's NaN is written as the string "NaN", which keeps the JSON valid.
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private Optional<String> atLeast(String key, double target, String what) {
        return figure(key).filter(Figure::present).map(f -> String.format(Locale.ROOT,
                "     %s: measured %,.0f = %.2fx the target%s", what, f.value(), f.value() / target,
                f.value() >= target ? " (met)" : " (missed by " + Math.round(target - f.value()) + "/s)"));
    }

    private Optional<String> atMost(String key, double target, String what) {
        return figure(key).filter(Figure::present).map(f -> String.format(Locale.ROOT,
                "     %s: measured %.2f %s = %.2fx the target%s", what, f.value(), f.unit(), f.value() / target,
                f.value() <= target ? " (met)" : " (missed)"));
    }

    private void printCpuPerRenew(PrintStream out) {
        if (cpuPerRenew == null) {
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "CPU per renew at %d/s offered (%.0f ok/s, %.0f s), from /proc/PID/stat:%n",
                cpuPerRenew.offeredPerSecond(), cpuPerRenew.okPerSecond(), cpuPerRenew.seconds());
        out.printf("  %-50s %12s %8s%n", "process", "ms/renew", "cores");
        cpuPerRenew.msPerRenew().forEach((group, ms) -> out.printf(Locale.ROOT, "  %-50s %12.3f %8.2f%n", group,
                ms, cpuPerRenew.cores().get(group)));
        out.printf(Locale.ROOT, "  %-50s %12.3f %8.2f%n", "total", cpuPerRenew.totalMsPerRenew(),
                cpuPerRenew.cores().values().stream().mapToDouble(Double::doubleValue).sum());
        out.printf(Locale.ROOT, "  %-50s %12.3f%n", PLATFORM_ROW, cpuPerRenew.platformMsPerRenew());
        printCpuPerStep(out);
    }

    /**
     * The same per process at every step: below saturation each column is what a renew costs at that rate; once
     * the box is saturated a column is only its cores divided by the rate.
     */
    void printCpuPerStep(PrintStream out) {
        if (cpuPerStep.isEmpty()) {
            return;
        }
        out.println();
        out.println("CPU per renew at each step (ms/renew; cores in use in the last row), from /proc/PID/stat:");
        out.println(row("process", step -> String.format(Locale.ROOT, "%9s", step.offeredPerSecond() + "/s")));
        for (String group : cpuPerStep.get(0).msPerRenew().keySet()) {
            out.println(row(group, step -> String.format(Locale.ROOT, "%9.3f",
                    step.msPerRenew().getOrDefault(group, Double.NaN))));
        }
        out.println(row("total", step -> String.format(Locale.ROOT, "%9.3f", step.totalMsPerRenew())));
        out.println(row(PLATFORM_ROW, step -> String.format(Locale.ROOT, "%9.3f", step.platformMsPerRenew())));
        out.println(row("cores in use", step -> String.format(Locale.ROOT, "%9.2f",
                step.cores().values().stream().mapToDouble(Double::doubleValue).sum())));
    }

    /** One line of the per-step table: its label, then one cell per step. */
    private String row(String label, Function<CpuPerRenew, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-50s", label));
        cpuPerStep.forEach(step -> line.append(' ').append(cell.apply(step)));
        return line.toString();
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
