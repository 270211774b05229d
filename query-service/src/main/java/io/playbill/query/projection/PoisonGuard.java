package io.playbill.query.projection;

import io.playbill.service.parking.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies a batch to a projector so that one event it cannot apply does not stop the others (decision 020).
 *
 * <p>The batch is applied in a savepoint of the caller's transaction, as fast as before. Only when that fails is it
 * applied again event by event, each in its own savepoint and up to {@code playbill.projections.poison-attempts}
 * times; an event that fails every attempt is parked ({@link ParkedEvents}), and the user's later events wait
 * behind it, in this batch and every later one, until an operator retries or skips it: a user's read model never
 * applies their events out of order.
 *
 * <p>A failure every event would meet is no reason to park: a database that cannot be reached, a lock timeout, a
 * schema the code does not match ({@link Failures#isTransient}). It is thrown, the whole batch rolls back, and the
 * processor retries it with back-off until the cause is gone. A batch in which every user's events fail otherwise
 * may have one cause too (an older instance writing tables a newer one's migration changed), or be several users'
 * bad data: it is retried whole for {@code playbill.projections.all-failed-patience} (1 min, as the ledger's intake
 * does), and its events are parked per user after that, so that it never freezes every projection (or a replay)
 * for good.
 */
@Component
public class PoisonGuard {

    private static final Logger log = LoggerFactory.getLogger(PoisonGuard.class);

    private final ParkedEvents parked;
    private final TransactionTemplate savepoint;
    private final int attempts;
    private final Duration allFailedPatience;
    private final Clock clock;
    /**
     * Since when the batches of each projection (live or replay) have failed for every user, and when this instance
     * last saw one fail so. Each applies one batch at a time (the live processor runs one thread; a replay one runner),
     * and a batch retried after a failure may begin with another event, so the clock runs per projection until a batch
     * goes through or is parked. Another instance may end the episode (it parks or applies the batch once the segment
     * moves there): a clock not seen failing for longer than any retry waits ({@link #EPISODE_GAP}) is of an episode
     * that is over, and starts again instead of parking a new one's batch at once.
     */
    private final Map<Key, Failing> allFailingSince = new ConcurrentHashMap<>();
    /** Longer than the processor's longest wait between two tries of a failed batch (Axon's back-off ends at 60 s). */
    static final Duration EPISODE_GAP = Duration.ofMinutes(2);

    private record Key(Projection projection, boolean replay) {
    }

    private record Failing(Instant since, Instant lastSeen) {

        /** Not seen failing for longer than any retry waits: the episode is over. */
        boolean over(Instant now) {
            return lastSeen.plus(EPISODE_GAP).isBefore(now);
        }

        Failing seen(Instant now) {
            return new Failing(since, now);
        }
    }

    PoisonGuard(ParkedEvents parked, PlatformTransactionManager transactions,
                @Value("${playbill.projections.poison-attempts:3}") int attempts,
                @Value("${playbill.projections.all-failed-patience:1m}") Duration allFailedPatience, Clock clock) {
        if (attempts < 1) {
            throw new IllegalArgumentException("playbill.projections.poison-attempts must be at least 1: " + attempts);
        }
        if (allFailedPatience.isNegative()) {
            throw new IllegalArgumentException("playbill.projections.all-failed-patience must not be negative: "
                    + allFailedPatience);
        }
        this.parked = parked;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.attempts = attempts;
        this.allFailedPatience = allFailedPatience;
        this.clock = clock;
    }

    /**
     * Applies {@code events} (topic order) to {@code projector} in the caller's transaction, parking what it cannot
     * apply.
     *
     * @param replay    whether the projector writes a replay's shadow tables (its parked events are kept apart)
     * @param positions the topic position of each event by event id, where known
     */
    public void apply(Projection projection, boolean replay, Projector projector, List<LedgerEvent> events,
                      Map<String, RecordPosition> positions) {
        // Only a user's events from their first parked one on wait: the live processor parks an event it cannot
        // decode as soon as it meets it, before the batch's earlier events of that user reach here.
        Map<String, Long> parkedFrom = parked.parkedFrom(projection, replay);
        List<LedgerEvent> free = new ArrayList<>(events.size());
        for (LedgerEvent event : events) {
            Long from = parkedFrom.get(event.aggregateId());
            if (from != null && event.sequence() >= from) {
                waitBehind(projection, replay, event, positions);
            } else if (event.payload() instanceof TopicRecords.Undecodable undecodable) {
                // Nothing to try: no projector can apply what could not be read.
                park(projection, replay, event, positions, undecodable.error(), 1);
                parkedFrom.put(event.aggregateId(), event.sequence());
            } else {
                free.add(event);
            }
        }
        if (free.isEmpty()) {
            return;
        }
        try {
            inSavepoint(projector, free);
            if (!allFailingSince.isEmpty()) {
                allFailingSince.remove(new Key(projection, replay));
            }
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            isolate(projection, replay, projector, free, positions, failure);
        }
    }

    /** Applies the events one at a time; parks those that fail every attempt, and their users' later ones. */
    private void isolate(Projection projection, boolean replay, Projector projector, List<LedgerEvent> events,
                         Map<String, RecordPosition> positions, RuntimeException batchFailure) {
        Map<LedgerEvent, RuntimeException> failing = new LinkedHashMap<>();
        Set<String> failingUsers = new HashSet<>();
        List<LedgerEvent> held = new ArrayList<>();
        Set<String> triedUsers = new HashSet<>();
        for (LedgerEvent event : events) {
            if (failingUsers.contains(event.aggregateId())) {
                held.add(event);
                continue;
            }
            triedUsers.add(event.aggregateId());
            RuntimeException failure = tryApplying(projector, event);
            if (failure != null) {
                failing.put(event, failure);
                failingUsers.add(event.aggregateId());
            }
        }
        if (failing.size() + held.size() == events.size() && triedUsers.size() > 1) {
            // Every user's events failed: perhaps one cause they all meet. Retried whole until the patience is out.
            Key key = new Key(projection, replay);
            Instant now = clock.instant();
            Instant since = allFailingSince.compute(key, (batch, seen) ->
                    seen == null || seen.over(now) ? new Failing(now, now) : seen.seen(now)).since();
            if (now.isBefore(since.plus(allFailedPatience))) {
                if (!replay) {
                    // The live projections share one batch: while this one holds it back, the others' clocks run on
                    // unseen (they are asked only once this one goes through), and must not start again for that.
                    // Only clocks of an episode still running: one another instance ended stays as old as it is.
                    allFailingSince.replaceAll((other, running) -> other.replay() || running.over(now) ? running
                            : running.seen(now));
                }
                throw new AllUsersFailing(batchFailure);
            }
        }
        allFailingSince.remove(new Key(projection, replay));
        failing.forEach((event, failure) ->
                park(projection, replay, event, positions, Failures.describe(failure), attempts));
        held.forEach(event -> waitBehind(projection, replay, event, positions));
    }

    /**
     * Every user's events of a batch failed, within the all-failed patience: the batch is to be retried whole (the
     * live processor rolls it back and retries it; a replay backs off and resumes), not parked yet.
     */
    public static final class AllUsersFailing extends RuntimeException {

        AllUsersFailing(RuntimeException cause) {
            super("Every user's events of the batch failed; retried whole until"
                    + " playbill.projections.all-failed-patience is out: " + cause, cause);
        }
    }

    private void park(Projection projection, boolean replay, LedgerEvent event,
                      Map<String, RecordPosition> positions, String error, int tries) {
        parked.park(projection, replay, event, positions.get(event.eventId()), ParkedEvent.PARKED, error, tries);
        log.error("Projection {}{} parked event {} (#{} of {}) after {} attempts: {}. The user's later events wait"
                        + " behind it until an operator retries or skips it (docs/operations.md, \"Parked items\").",
                projection.id(), replay ? " (replay)" : "", event.eventId(), event.sequence(), event.aggregateId(),
                tries, error);
    }

    /** The failure of the last attempt; null once one succeeded. */
    private RuntimeException tryApplying(Projector projector, LedgerEvent event) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                inSavepoint(projector, List.of(event));
                return null;
            } catch (RuntimeException failure) {
                if (Failures.isTransient(failure)) {
                    throw failure;
                }
                last = failure;
            }
        }
        return last;
    }

    private void waitBehind(Projection projection, boolean replay, LedgerEvent event,
                            Map<String, RecordPosition> positions) {
        parked.park(projection, replay, event, positions.get(event.eventId()), ParkedEvent.WAITING,
                "Waits behind an earlier parked event of the same user", 0);
    }

    private void inSavepoint(Projector projector, List<LedgerEvent> events) {
        savepoint.executeWithoutResult(status -> projector.apply(events));
    }
}
