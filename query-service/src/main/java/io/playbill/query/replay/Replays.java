package io.playbill.query.replay;

import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.PoisonGuard;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.ProjectorFactory;
import io.playbill.query.projection.TopicRecords;
import io.playbill.service.web.ApiException;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Rebuilds a projection from the beginning of the topic while the live one keeps serving and updating: a
 * {@link ReplayRunner} writes shadow tables; once it has every record that was on the topic when the replay
 * started, it is stopped and {@link TableSwap} brings its tables up to the live processor's position and puts them
 * in place.
 *
 * <p>State lives in {@code projection_replay}, so any instance answers the progress and a replay survives a
 * restart: every instance's {@link #monitor()} claims an unfinished replay nobody holds and resumes it.
 */
@Component
public class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);
    private static final Duration FIRST_SWAP_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_SWAP_RETRY = Duration.ofSeconds(30);

    private final Map<Projection, ProjectorFactory> projectors = new EnumMap<>(Projection.class);
    private final LedgerTopic topic;
    private final ReplayStore store;
    private final TableSwap swap;
    private final Clock clock;
    private final ReplayRunner.Context context;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> new Thread(r, "replay"));
    private final Map<Projection, Running> running = new EnumMap<>(Projection.class);
    private final Map<Projection, Sample> lastSample = new EnumMap<>(Projection.class);
    /** After a failed swap: when this instance tries again, and how long it waited last. */
    private final Map<Projection, Retry> swapRetries = new EnumMap<>(Projection.class);

    Replays(List<ProjectorFactory> factories, LedgerTopic topic, TopicRecords records, ReplayStore store,
            TableSwap swap, PlatformTransactionManager transactions, PoisonGuard guard, Clock clock,
            @Value("${playbill.projections.replay-batch-size:5000}") int batchSize,
            @Value("${playbill.replay.outage-patience:10m}") Duration outagePatience) {
        factories.forEach(factory -> projectors.put(factory.projection(), factory));
        this.topic = topic;
        this.store = store;
        this.swap = swap;
        this.clock = clock;
        this.context = new ReplayRunner.Context(topic, records, store, new TransactionTemplate(transactions),
                guard, instanceName(), batchSize, clock, outagePatience);
    }

    /**
     * Starts a replay; 409 while one of the same projection is unfinished, on whichever instance: the replay is
     * claimed in one statement, so of two instances asked at once one runs it and the other answers 409.
     */
    public synchronized ReplayStatusView start(Projection projection) {
        LedgerTopic.Offsets offsets = topic.offsets();
        Instant now = clock.instant();
        if (!store.start(projection.id(), now, byPartition(offsets.beginning()), byPartition(offsets.end()),
                offsets.records(), context.owner(), now.plus(ReplayRunner.CLAIM))) {
            throw new ApiException(HttpStatus.CONFLICT, "replay_in_progress",
                    "A replay of " + projection.id() + " is already running");
        }
        try {
            swap.prepare(projection);
        } catch (RuntimeException e) {
            store.fail(projection, context.owner(), "Preparing the shadow tables failed: " + e, clock.instant());
            throw e;
        }
        lastSample.remove(projection);
        swapRetries.remove(projection);
        launch(projection);
        log.info("Replay of {} started: {} events on the topic", projection.id(), offsets.records());
        return status(projection);
    }

    public ReplayStatusView status(Projection projection) {
        return store.find(projection.id()).map(ReplayStatusView::of)
                .orElseGet(() -> ReplayStatusView.idle(projection.id()));
    }

    /** Moves every unfinished replay on: resume after a crash, rate and ETA, swap once rebuilt. */
    @Scheduled(fixedDelayString = "${playbill.replay.monitor-interval:500ms}")
    public synchronized void monitor() {
        for (ReplayState state : store.unfinished()) {
            Projection projection = Projection.byId(state.projection()).orElseThrow();
            Running local = running.get(projection);
            if (local != null && local.future().isDone()) {
                // Failed (recorded), lost its claim to another instance, or stopped: whatever it rebuilt is not
                // this replay's to swap. Still running and unclaimed, the replay is claimed again below next time.
                running.remove(projection);
                local = null;
            }
            if (ReplayState.SWAPPING.equals(state.status())) {
                finish(projection);
            } else if (local != null && local.runner().rebuilt()) {
                local.runner().stop();
                awaitEnd(local.future());
                running.remove(projection);
                if (store.swapping(projection.id(), context.owner(), clock.instant())) {
                    finish(projection);
                } else {
                    log.info("Another instance claimed the replay of {} before its swap, and finishes it",
                            projection.id());
                }
            } else if (local != null) {
                rate(projection, state);
            } else if (store.claim(projection.id(), context.owner(), clock.instant(),
                    clock.instant().plus(ReplayRunner.CLAIM))) {
                log.info("Resuming the replay of {}", projection.id());
                launch(projection);
            }
        }
    }

    @PreDestroy
    synchronized void stop() {
        running.values().forEach(local -> local.runner().stop());
        threads.shutdown();
    }

    private void launch(Projection projection) {
        ReplayRunner runner = new ReplayRunner(projection,
                projectors.get(projection).create(ProjectionTables.REPLAY), context);
        running.put(projection, new Running(runner, threads.submit(runner)));
    }

    /** The runner commits what it has and stops within a poll and a batch. */
    private static void awaitEnd(Future<?> runner) {
        try {
            runner.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("A replay runner did not stop cleanly: {}", e.toString());
        }
    }

    private void finish(Projection projection) {
        Instant now = clock.instant();
        Retry retry = swapRetries.get(projection);
        if (retry != null && now.isBefore(retry.at())) {
            return;
        }
        try {
            try {
                swap.followLive(projection);
            } catch (RuntimeException e) {
                // The swap catches up all that is left itself, under the live processor's lock: slower, but it ends.
                log.warn("Catching up the rebuilt {} tables before their swap failed: {}", projection.id(),
                        e.toString());
            }
            swap.swap(projection);
            swapRetries.remove(projection);
        } catch (TableSwap.ShapeChanged e) {
            swapRetries.remove(projection);
            store.failSwap(projection, e.getMessage(), now);
            log.error("The replay of {} failed: {}", projection.id(), e.getMessage());
        } catch (RuntimeException e) {
            // Typically a lock wait timeout under a long read (a report, a backup). Each try holds the live processor
            // for up to the lock timeout, so tries come further apart while the read lasts.
            Duration wait = retry == null ? FIRST_SWAP_RETRY
                    : Collections.min(List.of(retry.waited().multipliedBy(2), LONGEST_SWAP_RETRY));
            swapRetries.put(projection, new Retry(now.plus(wait), wait));
            log.warn("Swapping in the rebuilt {} tables failed, will retry in {} s: {}", projection.id(),
                    wait.toSeconds(), e.toString());
        }
    }

    /** Events per second, smoothed over the monitor's samples. */
    private void rate(Projection projection, ReplayState state) {
        Instant now = clock.instant();
        Sample previous = lastSample.get(projection);
        double rate;
        if (previous == null) {
            long millis = Math.max(1, Duration.between(state.startedAt(), now).toMillis());
            rate = state.eventsDone() * 1000.0 / millis;
        } else {
            long millis = Math.max(1, Duration.between(previous.at(), now).toMillis());
            double current = (state.eventsDone() - previous.done()) * 1000.0 / millis;
            rate = previous.rate() == 0 ? current : 0.5 * current + 0.5 * previous.rate();
        }
        lastSample.put(projection, new Sample(now, state.eventsDone(), rate));
        store.rate(projection.id(), rate);
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition;
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private record Running(ReplayRunner runner, Future<?> future) {
    }

    private record Sample(Instant at, long done, double rate) {
    }

    private record Retry(Instant at, Duration waited) {
    }

    @Configuration
    @EnableScheduling
    static class Scheduling {
    }
}
