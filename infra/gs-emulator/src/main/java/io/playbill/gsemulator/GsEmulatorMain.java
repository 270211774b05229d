package io.playbill.gsemulator;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./playbill up} runs this: a GS emulator until the process is stopped. Options win over the
 * environment, which wins over the dev defaults.
 */
public final class GsEmulatorMain {

    static final int DEFAULT_PORT = 8090;

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final Pattern GAME_WORKERS = Pattern.compile("([^@=]+)(?:@([^@=]+))?=(.*)");

    static final String USAGE = """
            Usage: gs-emulator [--port 8090] [--host 127.0.0.1] [--secret-id ID] [--secret-key KEY]
                               [--workers 2] [--game-workers GAME_ID[@REGION]=N]... [--lock-timeout 30s]
                               [--stopping-window 2s]
              --secret-id/--secret-key default to $GS_EMULATOR_SECRET_ID/$GS_EMULATOR_SECRET_KEY, then to the
              dev pair %s/%s (prefer the environment for a real key: options show in ps).
              --workers: workers of each game not named by --game-workers, all in %s.
              --game-workers places N workers of GAME_ID in REGION (default %s); repeat it to spread a game
              over regions, e.g. --game-workers g1@ap-guangzhou=2 --game-workers g1@ap-shanghai=1.
              --lock-timeout and --stopping-window take 500ms, 30s, 2m or ISO-8601 (PT30S); a stopping window
              of 0s frees a stopped game's worker at once.""".formatted(
            GsEmulatorConfig.DEV_SECRET_ID, GsEmulatorConfig.DEV_SECRET_KEY, GsEmulatorConfig.DEFAULT_REGION,
            GsEmulatorConfig.DEFAULT_REGION);

    public static void main(String[] args) throws InterruptedException {
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Optional<GsEmulator> started = launch(args, System.getenv(), System.out, System.err);
        if (started.isEmpty()) {
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(started.get()::close, "gs-emulator-shutdown"));
        new CountDownLatch(1).await(); // serve until the JVM is stopped; the hook closes the server
    }

    /** Starts an emulator and says so on {@code out}; or says on {@code err} why not, in one line, and returns empty. */
    static Optional<GsEmulator> launch(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        GsEmulatorConfig config;
        try {
            config = parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("gs-emulator: " + e.getMessage());
            err.println(USAGE);
            return Optional.empty();
        }
        GsEmulator emulator;
        try {
            emulator = GsEmulator.start(config);
        } catch (UncheckedIOException e) {
            String why = e.getCause() instanceof BindException
                    ? "the port is already in use (another emulator running? pick one with --port)"
                    : e.getCause().getMessage();
            err.printf("gs-emulator: cannot listen on %s:%d: %s%n", config.host(), config.port(), why);
            return Optional.empty();
        }
        out.printf("gs-emulator: Tencent Cloud GS %s at http://%s:%d (SecretId %s, %d workers per game in %s%s,"
                        + " lock timeout %s, stopping window %s); see GET /_emulator/state%n",
                GsActions.API_VERSION, config.host(), emulator.port(), config.secretId(), config.workersPerGame(),
                GsEmulatorConfig.DEFAULT_REGION, config.workersByGame().isEmpty() ? "" : ", " + config.workersByGame(),
                config.lockTimeout(), config.stoppingWindow());
        if (config.usesDevCredentials()) {
            out.println("gs-emulator: using the public DEV credentials; set GS_EMULATOR_SECRET_ID/GS_EMULATOR_SECRET_KEY"
                    + " for anything else");
        }
        return Optional.of(emulator);
    }

    static GsEmulatorConfig parse(String[] args, Map<String, String> env) {
        GsEmulatorConfig config = GsEmulatorConfig.defaults().withPort(DEFAULT_PORT);
        String secretId = env.getOrDefault("GS_EMULATOR_SECRET_ID", GsEmulatorConfig.DEV_SECRET_ID);
        String secretKey = env.getOrDefault("GS_EMULATOR_SECRET_KEY", GsEmulatorConfig.DEV_SECRET_KEY);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> config = config.withPort(number(option, value));
                case "--host" -> config = config.withHost(value);
                case "--secret-id" -> secretId = value;
                case "--secret-key" -> secretKey = value;
                case "--workers" -> config = config.withWorkersPerGame(number(option, value));
                case "--game-workers" -> config = placeWorkers(config, value);
                case "--lock-timeout" -> config = config.withLockTimeout(duration(option, value));
                case "--stopping-window" -> config = config.withStoppingWindow(duration(option, value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return config.withCredentials(secretId, secretKey);
    }

    /** "GAME_ID=N" (in the default region) or "GAME_ID@REGION=N". */
    private static GsEmulatorConfig placeWorkers(GsEmulatorConfig config, String value) {
        Matcher placement = GAME_WORKERS.matcher(value);
        if (!placement.matches()) {
            throw new IllegalArgumentException("--game-workers takes GAME_ID=N or GAME_ID@REGION=N, not " + value);
        }
        String region = placement.group(2) == null ? GsEmulatorConfig.DEFAULT_REGION : placement.group(2);
        return config.withWorkersForGame(placement.group(1), region, number("--game-workers", placement.group(3)));
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not " + value);
        }
    }

    /** "500ms", "30s", "2m", or ISO-8601 such as "PT30S", given to {@code option}. */
    static Duration duration(String option, String value) {
        Matcher shortForm = SHORT_DURATION.matcher(value);
        try {
            if (!shortForm.matches()) {
                return Duration.parse(value);
            }
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes 500ms, 30s, 2m or PT30S, not " + value);
        }
    }

    private GsEmulatorMain() {
    }
}
