package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.metrics.LatencySummary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The CPU each process spent per renew, as the bench prints it for every step of the ramp. */
class BenchReportTest {

    private static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

    @Test
    void eachStepsCpuIsDividedByItsOwnAnswersPerProcess() {
        BenchReport.CpuPerRenew step = BenchReport.CpuPerRenew.of(step(100, 3000, 20.0, Map.of(
                ProcessCpu.LEDGER, 6.0, ProcessCpu.GATEWAY, 3.0)));

        assertThat(step.msPerRenew()).containsEntry(ProcessCpu.LEDGER, 2.0).containsEntry(ProcessCpu.GATEWAY, 1.0);
        assertThat(step.totalMsPerRenew()).isEqualTo(3.0);
        assertThat(step.cores()).containsEntry(ProcessCpu.LEDGER, 0.3).containsEntry(ProcessCpu.GATEWAY, 0.15);
    }

    @Test
    void theTablePrintsEveryStepInRampOrderWithItsProcessesTotalAndCores() {
        BenchReport.CpuPerRenew low = BenchReport.CpuPerRenew.of(step(25, 750, 30.0, ordered(1.5, 0.9)));
        BenchReport.CpuPerRenew high = BenchReport.CpuPerRenew.of(step(400, 12000, 30.0, ordered(18.0, 12.0)));
        BenchReport report = new BenchReport(List.of(), Map.of(), Map.of(), List.of(), high, List.of(low, high));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.printCpuPerStep(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\s+process\\s+25/s\\s+400/s"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("\\s+" + ProcessCpu.LEDGER + "\\s+2\\.000\\s+1\\.500"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("\\s+" + ProcessCpu.GATEWAY + "\\s+1\\.200\\s+1\\.000"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\s+total\\s+3\\.200\\s+2\\.500"));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\s+cores in use\\s+0\\.08\\s+1\\.00"));
    }

    @Test
    void thePlatformRowLeavesOutTheLoadGeneratorsPartOfTheBenchJvmAndKeepsTheBroker() {
        Map<String, Double> cpu = ordered(1.5, 0.9);
        cpu.put(ProcessCpu.BROKER, 0.6);
        cpu.put(ProcessCpu.BENCH_JVM_REST, 1.2);
        BenchReport.CpuPerRenew step = BenchReport.CpuPerRenew.of(step(25, 750, 30.0, cpu));
        BenchReport report = new BenchReport(List.of(), Map.of(), Map.of(), List.of(), step, List.of(step));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.printCpuPerStep(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(step.totalMsPerRenew()).isCloseTo(5.6, within(1e-9));
        assertThat(step.platformMsPerRenew()).isCloseTo(4.0, within(1e-9));
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\s+total\\s+5\\.600"));
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("\\s+" + Pattern.quote(BenchReport.PLATFORM_ROW) + "\\s+4\\.000"));
    }

    @Test
    void withoutMeasuredStepsNothingIsPrinted() {
        BenchReport report = new BenchReport(List.of(), Map.of(), Map.of(), List.of(), null, List.of());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.printCpuPerStep(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static Map<String, Double> ordered(double ledgerSeconds, double gatewaySeconds) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put(ProcessCpu.LEDGER, ledgerSeconds);
        cpu.put(ProcessCpu.GATEWAY, gatewaySeconds);
        return cpu;
    }

    private static OfferedLoadRamp.Step step(int offered, long ok, double wallSeconds, Map<String, Double> cpu) {
        return new OfferedLoadRamp.Step(offered, ok, ok, 0, 0, ok / wallSeconds, NONE, Map.of(), true, true, NONE,
                cpu, wallSeconds, Map.of(), null);
    }
}
