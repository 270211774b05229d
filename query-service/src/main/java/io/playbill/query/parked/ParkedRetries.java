package io.playbill.query.parked;

import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.ParkedEvent;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.ProjectorFactory;
import io.playbill.service.outage.Outages;
import io.playbill.service.parking.Failures;
import io.playbill.service.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's retry or skip of a parked event. A retry applies the user's parked events of that projection to the
 * live tables in their order, each in a savepoint, until one fails again: those applied leave the table, the one that
 * failed is the user's parked event (with the new error) and the rest keep waiting behind it. A skip drops one event
 * for good, then retries the user's remaining ones, which only waited behind it.
 *
 * <p>It takes the live processor's token row lock first, as a replay's swap does: no live batch runs meanwhile, so
 * none can apply a later event of the user between the retry's reading and its commit. A long backlog is applied
 * {@value #CHUNK} events per transaction, each taking the lock again, so that every other user's projections wait
 * for one chunk at a time, not for the whole backlog: between two chunks the user's remaining events are still
 * parked, and the live processor keeps the user's new ones waiting behind them.
 */
@Component
class ParkedRetries {

    private static final Logger log = LoggerFactory.getLogger(ParkedRetries.class);
    /** Parked events applied in one transaction, the live processor held. */
    static final int CHUNK = 500;
    /** The most parked events an answer lists; the list endpoint pages through all. */
    static final int LISTED = 100;

    private final ParkedEvents parked;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;
    private final Map<Projection, Projector> live = new EnumMap<>(Projection.class);

    ParkedRetries(ParkedEvents parked, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                  List<ProjectorFactory> projectors) {
        this.parked = parked;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        projectors.forEach(factory -> live.put(factory.projection(), factory.create(ProjectionTables.LIVE)));
    }

    /**
     * What a retry or skip did: how many events it applied, and what is still parked for that user (the first
     * {@value #LISTED}).
     */
    record Outcome(int applied, List<ParkedEvent> stillParked) {
    }

    /** One transaction's part of a retry, and whether the user has parked events left that did not fail. */
    private record Chunk(String projection, String userId, int applied, boolean more) {
    }

    Outcome retry(long id) {
        return theRest(inTransaction(() -> {
            ParkedEvent row = liveRow(id);
            return applyParked(row.projection(), row.userId());
        }));
    }

    Outcome skip(long id) {
        return theRest(inTransaction(() -> {
            ParkedEvent row = liveRow(id);
            // Only the user's first parked event is the one that failed; the ones after it wait for it. Skipping a
            // waiting one would drop an event that never failed, for good, and leave the failing one in place.
            ParkedEvent first = parked.ofUser(row.projection(), false, row.userId(), 1).get(0);
            // A first one that waits (a retry was cut short after applying the one that failed) never failed either.
            if (first.id() != row.id() || !ParkedEvent.PARKED.equals(first.status())) {
                throw new ApiException(HttpStatus.CONFLICT, "not_first_parked", first.id() != row.id()
                        ? "Event #" + row.sequence() + " waits behind #" + first.sequence() + " (parked id "
                        + first.id() + "), the first of this user's parked events in " + row.projection()
                        + ": skip or retry that one"
                        : "Event #" + row.sequence() + " never failed: it waited behind one a retry has applied since;"
                        + " retry it");
            }
            parked.delete(row.id());
            log.warn("Operator skipped event {} (#{} of {}) for projection {}: it will never be applied there",
                    row.eventId(), row.sequence(), row.userId(), row.projection());
            return applyParked(row.projection(), row.userId());
        }));
    }

    /**
     * The chunks after {@code first}, each in its own transaction, until one fails again or none is left. A chunk
     * that cannot run (an outage, a lock) ends the retry there: the chunks before it are applied and answered, and
     * the events left are still parked, waiting, for the next retry of any of them.
     */
    private Outcome theRest(Chunk first) {
        Chunk chunk = first;
        int applied = chunk.applied();
        while (chunk.more()) {
            Chunk done = chunk;
            try {
                chunk = inTransaction(() -> {
                    lockLiveProcessor();
                    return applyParked(done.projection(), done.userId());
                });
            } catch (RuntimeException interrupted) {
                log.warn("Operator retry of {}'s parked events in {} stopped after {} applied: {}", done.userId(),
                        done.projection(), applied, Failures.describe(interrupted));
                break;
            }
            applied += chunk.applied();
        }
        List<ParkedEvent> left;
        try {
            left = parked.firstOfUser(chunk.projection(), false, chunk.userId(), LISTED);
        } catch (RuntimeException unread) {
            left = List.of(); // what was applied is still the answer; the list endpoint shows the rest
        }
        return new Outcome(applied, left);
    }

    /** Applies up to {@value #CHUNK} of the user's parked events in order, in the caller's transaction. */
    private Chunk applyParked(String projectionId, String userId) {
        Projector projector = Projection.byId(projectionId).map(live::get).orElseThrow();
        int applied = 0;
        List<ParkedEvent> rows = parked.ofUser(projectionId, false, userId, CHUNK + 1);
        boolean failed = false;
        for (ParkedEvent next : rows.subList(0, Math.min(rows.size(), CHUNK))) {
            try {
                LedgerEvent event = parked.eventOf(next);
                savepoint.executeWithoutResult(status -> projector.apply(List.of(event)));
            } catch (RuntimeException failure) {
                if (Failures.isTransient(failure)) {
                    throw failure;
                }
                parked.failedAgain(next.id(), Failures.describe(failure));
                log.warn("Retrying parked event {} of {} for projection {} failed again: {}", next.eventId(),
                        next.userId(), next.projection(), Failures.describe(failure));
                failed = true;
                break;
            }
            parked.delete(next.id());
            applied++;
        }
        if (applied > 0) {
            log.info("Operator retry applied {} parked events of {} to projection {}", applied, userId, projectionId);
        }
        return new Chunk(projectionId, userId, applied, !failed && rows.size() > CHUNK);
    }

    /** The live processor's lock (a batch in flight finishes, the next waits), before any parked row. */
    private void lockLiveProcessor() {
        jdbc.query("select processor_name from token_entry where processor_name = ? for update", rs -> {
        }, Projection.LIVE_PROCESSOR);
    }

    private ParkedEvent liveRow(long id) {
        lockLiveProcessor();
        ParkedEvent row = parked.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not_parked",
                "No parked event has id " + id));
        if (row.replay()) {
            throw new ApiException(HttpStatus.CONFLICT, "parked_by_replay", "A replay of " + row.projection()
                    + " parked this event in its rebuilt tables; once the replay has completed it belongs to the live"
                    + " tables and can be retried or skipped");
        }
        return row;
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        try {
            return transaction.execute(status -> work.get());
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Outages.of(e).isPresent()) {
                // Answered 503 database_unavailable with Retry-After, as every read is.
                throw e;
            }
            if (Failures.isTransient(e)) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                        "The parked rows are busy (a lock or a conflict); try again: " + Failures.describe(e));
            }
            throw e;
        }
    }
}
