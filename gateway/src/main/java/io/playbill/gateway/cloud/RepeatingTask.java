package io.playbill.gateway.cloud;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One round of work every {@code interval} on a thread of its own, from the application's start to its stop. A round
 * that fails (a database or GS outage, or a bug) is logged and the next one runs as planned: the schedule never ends
 * by itself, which a plain {@code scheduleWithFixedDelay} does silently when a task throws.
 */
public final class RepeatingTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RepeatingTask.class);

    private final String name;
    private final Duration interval;
    private final Runnable round;
    private ScheduledExecutorService scheduler;

    public RepeatingTask(String name, Duration interval, Runnable round) {
        this.name = name;
        this.interval = interval;
        this.round = round;
    }

    /**
     * Threads named {@code name} and a count, as daemons: the cloud's background work never keeps the JVM from
     * exiting (Spring's {@link CustomizableThreadFactory}).
     */
    public static ThreadFactory daemonThreads(String name) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(name + "-");
        threads.setDaemon(true);
        return threads;
    }

    private void safeRound() {
        try {
            round.run();
        } catch (RuntimeException e) {
            log.warn("{} round failed: {}", name, e.toString());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            log.error("{} round failed; the next round runs as planned", name, e);
        }
    }

    /** Starts the schedule; does nothing if it runs already (a second scheduler would run rounds twice). */
    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads(name));
        scheduler.scheduleWithFixedDelay(this::safeRound, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops scheduling and waits (up to 10 s) for a round in progress, which may be in a GS or ledger call. */
    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
