package io.playbill.infra.loadgen.soak;

import io.playbill.infra.loadgen.CommandLine;
import io.playbill.infra.loadgen.simulate.PlayLength;
import io.playbill.infra.loadgen.simulate.SimulateOptions;
import io.playbill.ledger.api.events.BillingMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code ./playbill soak}.
 *
 * @param home      the checkout (the services' jars are under it)
 * @param data      the soak platform's data directory (fresh; deleted afterwards unless {@code keepData})
 * @param instances instances of each service
 * @param cycle     the billing cycle the soak platform runs with (under-billing)
 * @param chaos     the faults, in order (see {@link Chaos#TARGETS})
 */
public record SoakOptions(String runId, Path home, Path data, boolean keepData, Path report, int instances,
                          int players, double arrivalRate, PlayLength playLength, Duration duration, long topUp,
                          long pricePerMinute, Duration cycle, List<String> chaos, long seed) {

    public static final String USAGE = """
            Usage: playbill soak [options]   (starts its own platform on free ports)
              --players N            how many simulated players arrive (default 2000)
              --duration D           how long they arrive and play (default 10m)
              --instances N          instances of each service (default 1)
              --chaos T1,T2,...      the faults, in order, spread evenly over the run (default
                                     command-service,query-service,gateway,postgres): a service name kills its first
                                     instance with SIGKILL, postgres and kafka restart PostgreSQL or the broker
              --arrival-rate R       players arriving per second (default: spread over --duration less the longest
                                     play, at least its first half, so players play through every fault)
              --play-length D        fixed:90s or uniform:60s-180s (default uniform:60s-180s)
              --top-up AMOUNT        deposit per player before playing, minor units (default 10000)
              --price P              price per minute of the queue standard (default 60)
              --cycle D              the platform's billing cycle, under-billing (default 60s; at least 31s)
              --data DIR             the soak platform's data directory (default .playbill/soak/RUN, deleted after)
              --keep-data            keep the data directory (service logs, event store) after the run
              --report FILE          the JSON report (default .playbill/reports/soak-RUN.json; the players' own
                                     report beside it, ...-players.json)
              --seed N               random seed for play lengths and delays (default: random)""";

    public static SoakOptions parse(String[] args, Path home, String runId) {
        CommandLine line = CommandLine.parse(args, Set.of("--players", "--duration", "--instances", "--chaos",
                "--arrival-rate", "--play-length", "--top-up", "--price", "--cycle", "--data", "--report",
                "--seed"), Set.of("--keep-data"));
        int players = (int) line.number("--players", 2000, 1, 100_000);
        Duration duration = line.duration("--duration", Duration.ofMinutes(10), Duration.ofSeconds(10),
                Duration.ofHours(24));
        PlayLength playLength = PlayLength.parse(line.string("--play-length", "uniform:60s-180s"));
        List<String> chaos = Arrays.stream(line.string("--chaos", "command-service,query-service,gateway,postgres")
                .split(",")).map(String::trim).filter(target -> !target.isEmpty()).toList();
        for (String target : chaos) {
            if (!Chaos.TARGETS.contains(target)) {
                throw new IllegalArgumentException("--chaos takes " + String.join(", ", Chaos.TARGETS) + ", not '"
                        + target + "'");
            }
        }
        return new SoakOptions(runId, home,
                line.has("--data") ? Path.of(line.string("--data", "")) : home.resolve(".playbill/soak/" + runId),
                line.has("--keep-data"),
                line.has("--report") ? Path.of(line.string("--report", ""))
                        : home.resolve(".playbill/reports/soak-" + runId + ".json"),
                (int) line.number("--instances", 1, 1, 4),
                players,
                line.decimal("--arrival-rate", arrivalRate(players, duration, playLength), 0.01, 10_000),
                playLength,
                duration,
                line.number("--top-up", 10_000, 0, Long.MAX_VALUE / 4),
                line.number("--price", 60, 0, 1_000_000_000),
                line.duration("--cycle", Duration.ofSeconds(60), Duration.ofSeconds(31), Duration.ofHours(2)),
                chaos,
                line.number("--seed", System.nanoTime(), Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /**
     * Arrivals spread until the longest game still ends within the run (but over at least its first half), so that
     * players are playing at every fault, however late in the run it comes.
     */
    static double arrivalRate(int players, Duration duration, PlayLength playLength) {
        long spreadMillis = Math.max(duration.toMillis() / 2, duration.minus(playLength.max()).toMillis());
        return Math.max(0.01, players * 1000.0 / spreadMillis);
    }

    /** The players' run against {@code gateways}: under-billing on the queue standard, as the platform is set up. */
    SimulateOptions simulation(List<String> gateways) {
        String json = report.getFileName().toString();
        String players = json.endsWith(".json") ? json.substring(0, json.length() - 5) + "-players.json"
                : json + "-players.json";
        return new SimulateOptions(gateways, this.players, arrivalRate, playLength, duration, topUp, pricePerMinute,
                "standard", BillingMode.UNDER, cycle, null, report.resolveSibling(players), seed);
    }
}
