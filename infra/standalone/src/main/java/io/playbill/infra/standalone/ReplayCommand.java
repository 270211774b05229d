package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code ./playbill replay <projection> [--no-wait] [--gateway URL] [--token T]}: rebuilds one projection
 * ({@code accounts}, {@code sessions}, {@code statement}, {@code finance}) from the ledger-events topic while the old
 * tables keep serving, and follows its progress until the rebuilt tables are swapped in.
 */
final class ReplayCommand {

    private static final String USAGE = "Usage: replay <accounts|sessions|statement|finance> [--no-wait]"
            + " [--gateway URL] [--token ADMIN_TOKEN, better given as PLAYBILL_ADMIN_TOKEN]";

    private ReplayCommand() {
    }

    static void run(String[] args) throws InterruptedException {
        String projection = null;
        String gateway = AdminApi.defaultGateway();
        String token = null;
        boolean wait = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gateway" -> gateway = value(args, ++i);
                case "--token" -> token = value(args, ++i);
                case "--no-wait" -> wait = false;
                default -> {
                    if (args[i].startsWith("--") || projection != null) {
                        throw new IllegalArgumentException(USAGE);
                    }
                    projection = args[i];
                }
            }
        }
        if (projection == null) {
            throw new IllegalArgumentException(USAGE);
        }
        AdminApi api = new AdminApi(gateway, token);
        String path = "api/admin/replays/" + projection;
        AdminApi.Answer started = api.post(path, Duration.ofSeconds(60));
        if (started.status() == 409) {
            System.out.println("A replay of " + projection + " is already running; following it.");
        } else {
            JsonNode status = started.ok("Starting the replay of " + projection);
            System.out.printf(Locale.ROOT, "Replay of %s started: %,d events on the topic.%n", projection,
                    status.path("eventsTotal").asLong());
        }
        if (!wait) {
            return;
        }
        while (true) {
            JsonNode status = api.get(path).ok("Reading the replay's progress");
            String state = status.path("status").asText();
            switch (state) {
                case "completed" -> {
                    System.out.printf(Locale.ROOT, "Replay of %s completed: %,d events at %,.0f events/s; the rebuilt"
                                    + " tables are live.%n", projection, status.path("eventsDone").asLong(),
                            status.path("eventsPerSecond").asDouble());
                    return;
                }
                case "failed" -> throw new IllegalStateException("Replay of " + projection + " failed: "
                        + status.path("error").asText());
                default -> System.out.printf(Locale.ROOT, "  %s: %,d / %,d events, %,.0f events/s, ETA %s%n", state,
                        status.path("eventsDone").asLong(), status.path("eventsTotal").asLong(),
                        status.path("eventsPerSecond").asDouble(), status.path("etaSeconds").isNumber()
                                ? status.path("etaSeconds").asLong() + " s" : "unknown");
            }
            Thread.sleep(1000);
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(USAGE);
        }
        return args[index];
    }
}
