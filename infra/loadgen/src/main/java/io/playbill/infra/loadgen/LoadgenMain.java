package io.playbill.infra.loadgen;

import io.playbill.infra.loadgen.bench.BenchCommand;
import io.playbill.infra.loadgen.bench.BenchOptions;
import io.playbill.infra.loadgen.simulate.SimulateCommand;
import io.playbill.infra.loadgen.simulate.SimulateOptions;
import io.playbill.infra.loadgen.soak.SoakCommand;
import io.playbill.infra.loadgen.soak.SoakOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code ./playbill simulate}, {@code ./playbill soak} and {@code ./playbill bench}. Exit codes: 0 done,
 * 1 failed (a reconciliation failure, a soak that lost a request or did not recover, an unreachable platform), 2 wrong
 * usage.
 */
public final class LoadgenMain {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            usage();
            return 2;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        Path home = takeHome(rest);
        String runId = Long.toString(System.currentTimeMillis(), 36);
        try {
            switch (args[0]) {
                case "simulate" -> {
                    SimulateOptions options = SimulateOptions.parse(rest.toArray(String[]::new), home, runId);
                    return new SimulateCommand(options, runId, System.out).run().ok() ? 0 : 1;
                }
                case "soak" -> {
                    SoakOptions options = SoakOptions.parse(rest.toArray(String[]::new), home, runId);
                    return new SoakCommand(options, System.out).run().ok() ? 0 : 1;
                }
                case "bench" -> {
                    BenchOptions options = BenchOptions.parse(rest.toArray(String[]::new), home, runId);
                    new BenchCommand(options, System.out).run();
                    return 0;
                }
                default -> {
                    usage();
                    return 2;
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("playbill: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("playbill: interrupted");
            return 1;
        } catch (Exception e) {
            System.err.println("playbill: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }

    /** {@code --home DIR} (the checkout, passed by the script) may appear anywhere; it is not a user option. */
    private static Path takeHome(List<String> args) {
        int at = args.indexOf("--home");
        if (at < 0 || at + 1 >= args.size()) {
            return Path.of(".").toAbsolutePath().normalize();
        }
        Path home = Path.of(args.get(at + 1)).toAbsolutePath().normalize();
        args.subList(at, at + 2).clear();
        return home;
    }

    private static void usage() {
        System.err.println("Usage: playbill simulate [options] | playbill soak [options] | playbill bench [options]\n\n"
                + SimulateOptions.USAGE + "\n\n" + SoakOptions.USAGE + "\n\n" + BenchOptions.USAGE);
    }

    private LoadgenMain() {
    }
}
