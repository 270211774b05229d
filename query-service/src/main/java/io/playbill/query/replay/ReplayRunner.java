package io.playbill.query.replay;

import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.PoisonGuard;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.RecordPosition;
import io.playbill.query.projection.TopicRecords;
import io.playbill.service.parking.Failures;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds one projection's shadow tables from the topic, with a plain Kafka consumer rather than an Axon
 * processor: the per-event machinery of a tracking processor (units of work, handler resolution, a tracking token
 * rebuilt per record) costs several times what the projection itself does. Reads every partition from the replay's
 * position; each batch's rows commit together with the new position and the renewed claim, so a rebuild resumes
 * where it stopped, on any instance. Once it holds every record that was on the topic when the replay started it is
 * {@link #rebuilt()}, and it goes on following the topic until stopped, so that the swap has little left to add.
 *
 * <p>An outage ({@link Failures#isTransient}: the database failing over, a dropped connection) does not fail the
 * replay (decision 020): the open batch rolls back and the runner resumes from its last committed position after a
 * back-off, as another instance would after a crash. Any other failure marks the replay failed, and so does one that
 * looks transient but lasts {@code playbill.replay.outage-patience} without a batch committing (a table that a new
 * version's migration changed under the replay fails every batch the same way; retried for ever, the replay would
 * stay running, and could be neither seen failing nor started again).
 */
final class ReplayRunner implements Runnable {

    static final Duration CLAIM = Duration.ofSeconds(30);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ReplayRunner.class);

    private final Projection projection;
    private final Projector projector;
    private final Context context;
    private volatile boolean stopped;
    private volatile boolean rebuilt;
    /** The wait before the next resume; back to the first once a batch commits again. */
    private Duration retryIn = FIRST_RETRY;
    /** When the failures since the last committed batch began; null while batches commit. */
    private Instant failingSince;

    ReplayRunner(Projection projection, Projector projector, Context context) {
        this.projection = projection;
        this.projector = projector;
        this.context = context;
    }

    void stop() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
    }

    /** Whether it holds every record that was on the topic when the replay started. */
    boolean rebuilt() {
        return rebuilt;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                rebuild();
                return;
            } catch (LostClaim e) {
                log.info("Replay of {} continues on another instance", projection.id());
                return;
            } catch (RuntimeException e) {
                Throwable cause = batchFailure(e);
                Instant now = context.clock().instant();
                failingSince = failingSince == null ? now : failingSince;
                // A batch whose every user failed is retried whole too, until the guard parks its events.
                boolean outage = Failures.isTransient(e) || Failures.isTransient(cause)
                        || e instanceof PoisonGuard.AllUsersFailing || cause instanceof PoisonGuard.AllUsersFailing;
                if (!outage || !now.isBefore(failingSince.plus(context.outagePatience()))) {
                    log.warn("Replay of {} failed", projection.id(), e);
                    context.store().fail(projection, context.owner(), outage ? "No batch committed for "
                            + context.outagePatience() + ": " + Failures.describe(cause) : cause.toString(), now);
                    return;
                }
                // Failing would make the operator start over from the first offset; the committed batches stay good.
                log.warn("Replay of {} met an outage; it goes on from its last committed position (next try in {} s"
                        + " unless stopped): {}", projection.id(), retryIn.toSeconds(), Failures.describe(cause));
                if (!pause(retryIn)) {
                    return;
                }
                Duration doubled = retryIn.multipliedBy(2);
                retryIn = doubled.compareTo(LAST_RETRY) < 0 ? doubled : LAST_RETRY;
            }
        }
    }

    /**
     * What ended the batch. A batch whose connection dropped fails its rollback too, and Spring then throws that
     * failure (with no SQLSTATE: the pool's closed connection), keeping the batch's own one aside.
     */
    private static Throwable batchFailure(RuntimeException failure) {
        return failure instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                ? rollback.getApplicationException() : failure;
    }

    /** Waits, unless stopped first; false if stopped (the replay stays running, for whoever resumes it). */
    private synchronized boolean pause(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        try {
            for (long left = time.toNanos(); !stopped && left > 0; left = until - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopped;
    }

    private void rebuild() {
        // The same resume as after a crash: claim the replay (unless another instance took it meanwhile), then go on
        // from the positions committed with its shadow rows.
        var now = context.clock().instant();
        if (!context.store().claim(projection.id(), context.owner(), now, now.plus(CLAIM))) {
            throw new LostClaim();
        }
        ReplayState state = context.store().find(projection.id()).orElseThrow(LostClaim::new);
        Map<Integer, Long> next = new HashMap<>(state.startOffsets());
        next.putAll(state.positions());
        Map<Integer, Long> target = state.targetOffsets();
        long done = state.eventsDone();
        try (Consumer<String, byte[]> consumer = context.topic().newConsumer("replay-" + projection.id())) {
            List<TopicPartition> partitions = next.keySet().stream()
                    .map(partition -> new TopicPartition(context.topic().name(), partition)).toList();
            consumer.assign(partitions);
            partitions.forEach(partition -> consumer.seek(partition, next.get(partition.partition())));
            List<LedgerEvent> batch = new ArrayList<>(context.batchSize());
            Map<String, RecordPosition> positions = new HashMap<>();
            while (!stopped) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    context.records().decodeOrMark(record).ifPresent(event -> {
                        batch.add(event);
                        positions.put(event.eventId(), new RecordPosition(record.partition(), record.offset()));
                    });
                    next.put(record.partition(), record.offset() + 1);
                }
                if (batch.size() >= context.batchSize() || records.isEmpty() && !batch.isEmpty()) {
                    done += batch.size();
                    commit(batch, positions, next, done);
                    batch.clear();
                    positions.clear();
                }
                rebuilt = batch.isEmpty() && target.entrySet().stream()
                        .allMatch(end -> next.getOrDefault(end.getKey(), 0L) >= end.getValue());
            }
            if (!batch.isEmpty()) {
                commit(batch, positions, next, done + batch.size());
            }
        }
    }

    private void commit(List<LedgerEvent> batch, Map<String, RecordPosition> positions, Map<Integer, Long> next,
                        long done) {
        context.transactions().executeWithoutResult(status -> {
            var now = context.clock().instant();
            if (!context.store().advance(projection.id(), context.owner(), next, done, now, now.plus(CLAIM))) {
                throw new LostClaim();
            }
            // An event the shadow tables cannot take is parked for this replay, as the live processor parks one.
            context.guard().apply(projection, true, projector, batch, positions);
        });
        retryIn = FIRST_RETRY;
        failingSince = null;
    }

    /** What every runner shares. */
    record Context(LedgerTopic topic, TopicRecords records, ReplayStore store, TransactionTemplate transactions,
                   PoisonGuard guard, String owner, int batchSize, Clock clock, Duration outagePatience) {
    }

    /** Another instance holds the replay now (this one was too slow to renew its claim, or it finished). */
    private static final class LostClaim extends RuntimeException {
    }
}
