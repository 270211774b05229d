package io.playbill.infra.loadgen.soak;

import io.playbill.infra.standalone.Platform;
import io.playbill.infra.standalone.PlatformConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The faults of a soak, one after the other while the players play: each service's first instance is killed with
 * SIGKILL (the platform's supervisor starts it again), PostgreSQL and the broker are stopped and started again. Fault
 * k of n is due at (k + 1) / (n + 1) of the run, and never before the platform has recovered from the one before:
 * every instance ready again ({@code /actuator/health/readiness} UP, the database and the broker included).
 */
final class Chaos {

    /** The targets, as {@code --chaos} names them. */
    static final List<String> TARGETS = List.of("command-service", "query-service", "gateway", "postgres", "kafka");
    /** A platform that has not recovered by then counts as not recovered. */
    static final Duration RECOVERY_LIMIT = Duration.ofMinutes(3);

    /**
     * One fault: when it was done (seconds since the soak began), how long until every instance was ready again
     * (-1: not within {@link #RECOVERY_LIMIT}), and what went wrong, if anything.
     */
    record Event(String target, String action, double atSeconds, double recoveredAfterSeconds, String problem) {

        boolean recovered() {
            return recoveredAfterSeconds >= 0 && problem == null;
        }

        boolean isKill() {
            return "SIGKILL".equals(action);
        }
    }

    private final Platform platform;
    private final List<String> targets;
    private final Duration duration;
    private final Availability clock;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Event> events = new ArrayList<>();
    private final CompletableFuture<List<Event>> done = new CompletableFuture<>();

    Chaos(Platform platform, List<String> targets, Duration duration, Availability clock, PrintStream out) {
        this.platform = platform;
        this.targets = List.copyOf(targets);
        this.duration = duration;
        this.clock = clock;
        this.out = out;
    }

    /** Starts the faults on a thread of their own; the future completes once the last has been recovered from. */
    CompletableFuture<List<Event>> start() {
        Thread thread = new Thread(this::run, "soak-chaos");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    private void run() {
        try {
            for (int k = 0; k < targets.size(); k++) {
                double due = duration.toMillis() / 1000.0 * (k + 1) / (targets.size() + 1);
                double wait = due - clock.secondsSinceStart();
                if (wait > 0) {
                    Thread.sleep((long) (wait * 1000));
                }
                events.add(inflict(targets.get(k)));
            }
            done.complete(List.copyOf(events));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.complete(List.copyOf(events));
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private Event inflict(String target) throws InterruptedException {
        double at = clock.secondsSinceStart();
        String action;
        String problem = null;
        try {
            switch (target) {
                case "postgres" -> {
                    action = "restart";
                    say(at, "restarting PostgreSQL");
                    platform.stopPostgres();
                    platform.startPostgres();
                }
                case "kafka" -> {
                    action = "restart";
                    say(at, "restarting the Kafka broker");
                    platform.stopKafka();
                    platform.startKafka();
                }
                default -> {
                    action = "SIGKILL";
                    String instance = PlatformConfig.instanceName(target, 1);
                    say(at, "SIGKILL " + instance + " (pid " + platform.pid(instance) + ")");
                    platform.kill(instance);
                }
            }
        } catch (RuntimeException e) {
            return new Event(target, "restart", at, -1, e.toString());
        }
        double recovered = awaitReady(at);
        if (recovered < 0) {
            problem = "not every instance was ready again within " + RECOVERY_LIMIT.toMinutes() + " min";
        } else if (platform.failure().isDone()) {
            problem = platform.failure().join();
        }
        say(clock.secondsSinceStart(), recovered >= 0 ? String.format(Locale.ROOT,
                "every instance ready again %.1f s after the %s of %s", recovered, action, target) : problem);
        return new Event(target, action, at, recovered, problem);
    }

    /** Seconds from {@code at} until every instance answers its readiness UP; -1 past the limit. */
    private double awaitReady(double at) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (platform.serviceUrls().values().stream().allMatch(this::ready)) {
                return clock.secondsSinceStart() - at;
            }
            Thread.sleep(250);
        }
        return -1;
    }

    private boolean ready(String url) {
        HttpRequest readiness = HttpRequest.newBuilder(URI.create(url + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> answer = http.send(readiness, HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits (at most the recovery limit) until the platform is ready, e.g. before the settlement. */
    boolean awaitReady() throws InterruptedException {
        return awaitReady(clock.secondsSinceStart()) >= 0;
    }

    private void say(double at, String what) {
        out.printf(Locale.ROOT, "[%4.0f s] chaos: %s%n", at, what);
    }
}
