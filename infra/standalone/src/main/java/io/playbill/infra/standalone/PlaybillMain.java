package io.playbill.infra.standalone;

import io.playbill.infra.kafka.TopicsMain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point of {@code ./playbill}: {@code up}, {@code token}, {@code topics}. */
public final class PlaybillMain {

    /** Made-up players of the warm-up before "Playbill is up"; the variable below overrides it (0: none). */
    static final int WARM_UP_PLAYERS = 400;
    static final String WARM_UP_VARIABLE = "PLAYBILL_WARM_UP_PLAYERS";

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "up" -> up(rest);
                case "token" -> token(rest);
                case "topics" -> TopicsMain.main(rest);
                case "replay" -> ReplayCommand.run(rest);
                case "audit" -> AuditCommand.run(rest);
                default -> {
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("playbill: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("playbill: " + e);
            System.exit(1);
        }
    }

    private static void up(String[] args) throws Exception {
        Path home = Path.of(".");
        Path data = null;
        PlatformConfig.KafkaSecurity kafkaSecurity = PlatformConfig.KafkaSecurity.PLAINTEXT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(value(args, ++i, "--home"));
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--kafka-sasl" -> kafkaSecurity = PlatformConfig.KafkaSecurity.SASL_SCRAM;
                default -> throw new IllegalArgumentException("Unknown option for up: " + args[i]);
            }
        }
        int warmUpPlayers = warmUpPlayers(System.getenv(WARM_UP_VARIABLE));
        home = home.toAbsolutePath().normalize();
        PlatformConfig config = PlatformConfig.defaults(home, data != null ? data : home.resolve(".playbill/data"))
                .withKafkaSecurity(kafkaSecurity);
        System.out.println("Starting Playbill (data in " + config.dataDir().toAbsolutePath() + ") ...");
        long started = System.nanoTime();
        Platform platform = Platform.start(config);
        // SIGINT (Ctrl-C), SIGTERM and SIGHUP all run the shutdown hooks: services first, then broker and database.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Playbill ...");
            platform.close();
            System.out.println("Stopped.");
        }, "playbill-stop"));
        warmUp(platform, warmUpPlayers);
        printReady(platform, Duration.ofNanos(System.nanoTime() - started));
        // Crashed services are restarted; this returns only when one has crashed too often.
        String failure = platform.failure().join();
        System.err.println("playbill: " + failure + "; see the logs in " + config.dataDir().resolve("run/logs")
                + ". Shutting down.");
        System.exit(1);
    }

    /**
     * Refused game calls through the whole platform before it is reported up (decision 058); {@code
     * PLAYBILL_WARM_UP_PLAYERS=0} skips them.
     */
    private static void warmUp(Platform platform, int players) throws InterruptedException {
        if (players == 0) {
            return;
        }
        System.out.printf("Warming up the game path (%d made-up players whose calls the ledger refuses) ...%n",
                players);
        GamePathWarmUp.Result result = new GamePathWarmUp(platform.serviceUrls().get("gateway"), Platform.DEV_QUEUE)
                .run(GamePathWarmUp.newRunId(), players, 4, 16, Duration.ofSeconds(60));
        System.out.printf("Warmed up: %d calls refused as expected in %.1f s%s%s%n", result.refused(),
                result.took().toMillis() / 1000.0,
                result.authTokenLeftOut() == null ? "" : "; authToken left out: " + result.authTokenLeftOut(),
                result.unexpected().isEmpty() ? ""
                        : "; other answers (the platform is up, but not warmed as meant): " + result.unexpected());
    }

    /** The warm-up's players from {@code PLAYBILL_WARM_UP_PLAYERS}, checked before anything starts. */
    static int warmUpPlayers(String variable) {
        if (variable == null || variable.isBlank()) {
            return WARM_UP_PLAYERS;
        }
        try {
            int players = Integer.parseInt(variable.trim());
            if (players >= 0) {
                return players;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(WARM_UP_VARIABLE + " must be a whole number of players, 0 or more (0: no "
                + "warm-up), not '" + variable + "'");
    }

    private static void printReady(Platform platform, Duration took) {
        String gateway = platform.serviceUrls().get("gateway");
        System.out.printf("%nPlaybill is up (%d s).%n", took.toSeconds());
        System.out.printf("  %-16s %s%n", "console", gateway.replace("127.0.0.1", "localhost") + "/console/"
                + "  (dev sign-in by user name, e.g. alice; or paste ./playbill token --user alice)");
        platform.serviceUrls().forEach((name, url) -> System.out.printf("  %-16s %s%n", name, url));
        System.out.printf("  %-16s http://127.0.0.1:%d (state: /_emulator/state)%n", "gs-emulator",
                platform.gsEmulator().port());
        System.out.printf("  %-16s %s%s%n", "kafka", platform.kafkaBootstrapServers(),
                platform.config().kafkaSecurity() == PlatformConfig.KafkaSecurity.SASL_SCRAM
                        ? " (SASL/SCRAM-SHA-256 + ACLs; each service has a password generated for this run)" : "");
        System.out.printf("  %-16s %s%n", "postgresql", platform.postgresUrl());
        System.out.printf("  %-16s %s%n", "logs", platform.config().dataDir().resolve("run/logs"));
        System.out.printf("  %-16s /actuator/prometheus on each service, with the bearer token in %s%n", "metrics",
                platform.scrapeTokenFile());
        System.out.printf("  %-16s queue '%s' at %d per minute (seeded on the first start of this data directory)%n",
                "dev price", Platform.DEV_QUEUE, Platform.DEV_PRICE_PER_MINUTE);
        System.out.println();
        System.out.println("Development credentials (never use them in production):");
        System.out.println("  user token:    ./playbill token --user alice   (a player; the console takes it too)");
        System.out.println("  admin token:   ./playbill token --user ops --role admin");
        System.out.println("  user JWT key:  HS256 '" + DevCredentials.USER_JWT_SECRET + "' (iss "
                + DevCredentials.USER_JWT_ISSUER + ", aud " + DevCredentials.USER_JWT_AUDIENCE + ")");
        System.out.println("  SDK token key: '" + DevCredentials.CUSTOMER_TOKEN_SECRET + "' (iss/customer "
                + DevCredentials.TOKEN_ISSUER + ")");
        System.out.println("  GS emulator:   SecretId '" + DevCredentials.GS_SECRET_ID + "', SecretKey '"
                + DevCredentials.GS_SECRET_KEY + "'");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
    }

    private static void token(String[] args) {
        String user = null;
        List<String> roles = new ArrayList<>();
        Duration ttl = Duration.ofHours(1);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user" -> user = value(args, ++i, "--user");
                case "--role" -> roles.add(value(args, ++i, "--role"));
                case "--ttl" -> ttl = Duration.ofSeconds(Long.parseLong(value(args, ++i, "--ttl")));
                default -> throw new IllegalArgumentException("Unknown option for token: " + args[i]);
            }
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("Usage: token --user USER [--role admin|finance]... [--ttl SECONDS]");
        }
        System.out.println(DevCredentials.userToken(user, roles, ttl));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static void usage() {
        System.err.println("""
                Usage: playbill <command>
                  up [--data DIR] [--kafka-sasl]  start the whole platform on embedded defaults
                  token --user U [--role R]...    print a development user token
                  topics --bootstrap-servers H:P [--command-config FILE] [--acls]
                                                  create the platform's topics (and ACLs) on an external Kafka""");
    }

    private PlaybillMain() {
    }
}
