package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.CommandLine;
import io.playbill.ledger.api.events.BillingMode;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code ./playbill simulate}. There is deliberately no time scale: the platform has no test clock,
 * and speeding up only the players' side would make the reconciliation compare two different clocks.
 *
 * @param gatewayUrls the gateways the players talk to (player i to the i-th, modulo their number)
 * @param cycle  the platform's billing cycle ({@code playbill.billing.cycle}); only used for the reconciliation bound
 * @param report where the JSON report goes
 */
public record SimulateOptions(List<String> gatewayUrls, int players, double arrivalRate,
                              PlayLength playLength, Duration duration, long topUp, long pricePerMinute,
                              String queue, BillingMode mode, Duration cycle, Path tokenFile, Path report,
                              long seed) {

    public static final String USAGE = """
            Usage: playbill simulate [options]   (against a running platform, e.g. ./playbill up)
              --gateway URL[,URL...] gateway base URL, on this machine (default http://127.0.0.1:8080); the
                                     reconciliation reads balances through the first. Several gateways: player i
                                     talks to the i-th (modulo their number)
              --players N            how many players arrive (default 100)
              --arrival-rate R       players arriving per second (default: all within the first half of --duration,
                                     at least 10/s)
              --play-length D        fixed:90s or uniform:60s-180s, counted from the first renew (default uniform:60s-180s)
              --duration D           the run ends after this long; games still running stop then (default 10m)
              --top-up AMOUNT        deposit per player before playing, minor units (default 10000; 0 = none)
              --price P              price per minute of --queue, set before the run (default 60)
              --queue NAME           the queue the gateway assigns (default standard)
              --mode under|over      the billing mode the platform runs, for the reconciliation (default under)
              --cycle D              the platform's billing cycle, for the reconciliation (default 60s)
              --token-file FILE      user JWTs, one per line, instead of development tokens; one must have role admin,
                                     one with role finance (else the admin one) reads the balances
              --report FILE          the JSON report (default .playbill/reports/simulate-RUN.json under --home)
              --seed N               random seed for play lengths and delays (default: random)""";

    /** Load goes to this machine only: a simulation is never pointed at someone else's server by a typo. */
    /** The run reconciles what was charged, so it needs a mode that charges. */
    private static BillingMode billedMode(String text) {
        BillingMode mode;
        try {
            mode = BillingMode.parse(text);
        } catch (IllegalArgumentException e) {
            mode = BillingMode.NONE;
        }
        if (!mode.usesLedger()) {
            throw new IllegalArgumentException("--mode must be under or over, not '" + text + "'");
        }
        return mode;
    }

    private static String loopback(String option, String url) {
        try {
            String host = URI.create(url).getHost();
            if (host != null && InetAddress.getByName(host).isLoopbackAddress()) {
                return url;
            }
        } catch (IllegalArgumentException | UnknownHostException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(option + " must be an http URL on this machine (127.0.0.1, localhost, "
                + "[::1]), not '" + url + "'");
    }

    /** Every player arrives within the first half of the run, so all of them get to play; never below 10/s. */
    static double defaultArrivalRate(int players, Duration duration) {
        double halfRunSeconds = duration.toMillis() / 2000.0;
        return Math.max(10, players / halfRunSeconds);
    }

    public static SimulateOptions parse(String[] args, Path home, String runId) {
        CommandLine line = CommandLine.parse(args, Set.of("--gateway", "--players", "--arrival-rate",
                "--play-length", "--duration", "--top-up", "--price", "--queue", "--mode", "--cycle", "--token-file",
                "--report", "--seed"), Set.of());
        Path report = line.has("--report") ? Path.of(line.string("--report", ""))
                : home.resolve(".playbill/reports/simulate-" + runId + ".json");
        int players = (int) line.number("--players", 100, 1, 100_000);
        Duration duration = line.duration("--duration", Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofHours(24));
        return new SimulateOptions(
                Arrays.stream(line.string("--gateway", "http://127.0.0.1:8080").split(",")).map(String::trim)
                        .map(url -> loopback("--gateway", url)).toList(),
                players,
                line.decimal("--arrival-rate", defaultArrivalRate(players, duration), 0.01, 10_000),
                PlayLength.parse(line.string("--play-length", "uniform:60s-180s")),
                duration,
                line.number("--top-up", 10_000, 0, Long.MAX_VALUE / 4),
                line.number("--price", 60, 0, 1_000_000_000),
                line.string("--queue", "standard"),
                billedMode(line.string("--mode", "under")),
                line.duration("--cycle", Duration.ofSeconds(60), Duration.ofSeconds(31), Duration.ofHours(2)),
                line.has("--token-file") ? Path.of(line.string("--token-file", "")) : null,
                report,
                line.number("--seed", System.nanoTime(), Long.MIN_VALUE, Long.MAX_VALUE));
    }
}
