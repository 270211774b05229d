package io.playbill.infra.standalone;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Starts a service again when its process exits while the platform is up, as {@link RestartPolicy} allows, and says
 * each step on the console ({@code gateway exited with code 137; restarting in 2 s (attempt 2 of 5)}). When a service
 * has used up its restarts, {@link #failure()} completes with the reason and the service stays down.
 *
 * <p>Only the processes it {@link #watch watches} are restarted: one the platform stops or replaces itself is
 * {@link #release released} first, and after {@link #stop()} nothing is restarted any more.
 *
 * @param <S> the kind of service process
 */
final class ServiceSupervisor<S extends ServiceSupervisor.Service<S>> {

    /** A running service process the supervisor can watch and start again. */
    interface Service<S> {
        String name();

        /** Completes with the exit code when the process ends. */
        CompletableFuture<Integer> exited();

        /** The same service in a new process, with the same settings. */
        S startAgain() throws IOException;

        /**
         * Returns once the service runs (its liveness, not whether its database or broker are there); throws if it
         * exits first or does not run in time.
         */
        void awaitLive(Duration timeout) throws InterruptedException;

        boolean isAlive();

        /** Ends the process at once (SIGKILL). */
        void kill() throws InterruptedException;
    }

    /**
     * Ctrl-C in a terminal reaches the services as well as the launcher: an exit is looked at only after this pause,
     * by which time the launcher's own shutdown has begun and {@link #stop()} has been called.
     */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final RestartPolicy policy;
    private final Duration startTimeout;
    private final Consumer<String> console;
    private final BiConsumer<S, S> replaced;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "playbill-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, S> watched = new HashMap<>();
    private final Map<String, Deque<Instant>> restarts = new HashMap<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private boolean stopped;

    /**
     * @param replaced told (under the supervisor's lock, so before {@link #stop()} can return) each time a crashed
     *                 process is replaced by a new one
     */
    ServiceSupervisor(RestartPolicy policy, Duration startTimeout, Consumer<String> console, BiConsumer<S, S> replaced,
                      Clock clock) {
        this.policy = policy;
        this.startTimeout = startTimeout;
        this.console = console;
        this.replaced = replaced;
        this.clock = clock;
    }

    /** Restarts {@code service} when its process exits, from now on. */
    synchronized void watch(S service) {
        if (stopped) {
            return;
        }
        watched.put(service.name(), service);
        service.exited().thenAccept(code -> {
            try {
                scheduler.schedule(() -> exited(service, "exited with code " + code), SETTLE.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stoppedMeanwhile) {
                // Supervision is over: the platform is stopping.
            }
        });
    }

    /** Leaves {@code service} alone from now on: the caller stops or replaces it. */
    synchronized void release(S service) {
        watched.remove(service.name(), service);
    }

    /** Restarts nothing any more; a restart under way has finished (and been reported) when this returns. */
    synchronized void stop() {
        stopped = true;
        watched.clear();
        scheduler.shutdownNow();
    }

    /** Completes with the reason when a service has crashed more often than its restarts allow. */
    CompletableFuture<String> failure() {
        return failure;
    }

    private synchronized void exited(S service, String what) {
        String name = service.name();
        if (stopped || watched.get(name) != service) {
            return;
        }
        Optional<RestartPolicy.Restart> next = policy.next(restarts.computeIfAbsent(name, n -> new ArrayDeque<>()),
                clock.instant());
        if (next.isEmpty()) {
            watched.remove(name);
            String reason = name + " " + what + " after " + policy.maxRestarts() + " restarts within "
                    + minutes(policy.window()) + "; not restarting it again";
            console.accept(reason);
            failure.complete(reason);
            return;
        }
        RestartPolicy.Restart restart = next.get();
        console.accept(String.format("%s %s; restarting in %s (attempt %d of %d)", name, what,
                seconds(restart.delay()), restart.attempt(), policy.maxRestarts()));
        try {
            scheduler.schedule(() -> restart(service), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stoppedMeanwhile) {
            // Supervision is over: the platform is stopping.
        }
    }

    private synchronized void restart(S crashed) {
        if (stopped || watched.get(crashed.name()) != crashed) {
            return;
        }
        restarts.get(crashed.name()).addLast(clock.instant());
        S started;
        try {
            started = crashed.startAgain();
        } catch (IOException | RuntimeException e) {
            exited(crashed, "could not be started again (" + e.getMessage() + ")");
            return;
        }
        replaced.accept(crashed, started);
        watch(started);
        Thread health = new Thread(() -> reportHealth(started), "playbill-supervisor-health");
        health.setDaemon(true);
        health.start();
    }

    private void reportHealth(S started) {
        try {
            started.awaitLive(startTimeout);
            console.accept(started.name() + " is up again");
        } catch (IllegalStateException e) {
            // Exited during start-up: its exit is handled like any other. Hung: end it, and it is handled likewise.
            if (started.isAlive()) {
                console.accept(started.name() + " did not come up within " + seconds(startTimeout)
                        + "; killing it");
                try {
                    started.kill();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String minutes(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : seconds(duration);
    }
}
