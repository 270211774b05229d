package io.playbill.infra.loadgen.bench;

import io.playbill.infra.loadgen.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code ./playbill bench}.
 *
 * @param runId         names this run's users, sessions and topics
 * @param home          the checkout (the services' jars are under it)
 * @param data          the bench platform's data directory (fresh, deleted afterwards unless {@code keepData})
 * @param renewSteps    offered renews/s of the ramp, in order
 * @param stepDuration  how long each ramp step offers its load
 * @param p99Limit      a step is sustained while its p99 stays at or under this
 * @param sessions      game sessions the renews are spread over
 * @param periods       how long the closed-loop figures and the baselines warm up and measure
 */
public record BenchOptions(String runId, Path home, Path data, boolean keepData, Path report, List<Integer> renewSteps,
                           Duration stepDuration, Duration p99Limit, int sessions, boolean jmh, Periods periods) {

    /** The steps of the full ramp: 25/s for the low-load latency, 1,000/s for CPU per renew, up to past the target. */
    static final String DEFAULT_STEPS = "5,10,25,50,100,200,400,700,1000,1500,2000,2500,3000,3500,4000";
    /** {@code --quick}: a smoke test of every figure in about a minute and a half, not a measurement. */
    static final String QUICK_STEPS = "25,100";

    /**
     * @param jitWarmUp a fresh JVM's warm-up of both (a) endpoints before either is measured
     * @param warmUp    before each measured period
     * @param measured  each closed-loop figure and baseline
     */
    public record Periods(Duration jitWarmUp, Duration warmUp, Duration measured) {

        static final Periods FULL = new Periods(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10));
        static final Periods QUICK = new Periods(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    public static final String USAGE = """
            Usage: playbill bench [options]   (starts its own platform on free ports; ~5 minutes)
              --steps R1,R2,...      offered renews/s of the ramp (default 5,10,25,50,100,...,4000)
              --step-duration D      length of each ramp step (default 10s)
              --p99-limit D          a step counts as sustained while its p99 <= this (default 50ms)
              --sessions N           game sessions the renews are spread over (default 800)
              --quick                a smoke test of every figure (steps 25,100 of 3s, 40 sessions, short periods)
              --data DIR             the bench platform's data directory (default .playbill/bench/RUN, deleted after)
              --keep-data            keep the data directory (service logs, event store) after the run
              --report FILE          the JSON report (default .playbill/reports/bench-RUN.json)
              --jmh                  run the JMH micro-benchmarks (JWT signing) instead""";

    public static BenchOptions parse(String[] args, Path home, String runId) {
        CommandLine line = CommandLine.parse(args, Set.of("--steps", "--step-duration", "--p99-limit", "--sessions",
                "--data", "--report"), Set.of("--keep-data", "--jmh", "--quick"));
        boolean quick = line.has("--quick");
        List<Integer> steps = Arrays.stream(line.string("--steps", quick ? QUICK_STEPS : DEFAULT_STEPS)
                .split(",")).map(String::trim).map(BenchOptions::rate).toList();
        return new BenchOptions(runId, home,
                line.has("--data") ? Path.of(line.string("--data", "")) : home.resolve(".playbill/bench/" + runId),
                line.has("--keep-data"),
                line.has("--report") ? Path.of(line.string("--report", ""))
                        : home.resolve(".playbill/reports/bench-" + runId + ".json"),
                steps,
                line.duration("--step-duration", Duration.ofSeconds(quick ? 3 : 10), Duration.ofSeconds(2),
                        Duration.ofMinutes(5)),
                line.duration("--p99-limit", Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofSeconds(10)),
                (int) line.number("--sessions", quick ? 40 : 800, 1, 20_000),
                line.has("--jmh"),
                quick ? Periods.QUICK : Periods.FULL);
    }

    /** The highest rate the ramp offers. */
    int topRate() {
        return renewSteps.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private static int rate(String text) {
        try {
            int rate = Integer.parseInt(text);
            if (rate > 0 && rate <= 50_000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // Reported below with the valid range.
        }
        throw new IllegalArgumentException("--steps must be renews/s between 1 and 50000, not '" + text + "'");
    }
}
