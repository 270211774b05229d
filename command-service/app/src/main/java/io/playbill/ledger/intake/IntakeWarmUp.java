package io.playbill.ledger.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.axon.LedgerCommands;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.common.caching.Cache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs the intake's decision path before the intake reads its first request (decision 043). A freshly started JVM
 * runs that code in the interpreter and compiles it under the first players' load, which was most of a fresh
 * platform's renew tail (docs/performance.md). Here, made-up accounts deposit, authorize, start, renew and stop
 * through the same code a batch goes through (reading the request, the command bus, the aggregate, the billing rules,
 * appending the events, writing the reply), inside a transaction that is always rolled back: nothing is stored, no
 * reply is sent, nothing is counted, and the events go to a temporary table ({@link #shadowTheEventTable}). Then the
 * intake starts, and with it readiness follows.
 *
 * <p>The accounts are new random ids, so no real account is read; the aggregate caches are emptied after each round,
 * since they hold its rolled-back events (the price list's too).
 */
@Component
class IntakeWarmUp {

    private static final Logger log = LoggerFactory.getLogger(IntakeWarmUp.class);
    private static final Actor OPERATOR = new Actor("playbill-warm-up", List.of("admin", "finance"));
    private static final long RENEW_EVERY_MILLIS = 30_000;
    /** At most, per warm-up account: opened, deposited, authorized, started, and ended with its last charge. */
    private static final int EVENTS_BESIDES_RENEWS = 7;
    /** At most, per renew: renewed and charged. */
    private static final int EVENTS_PER_RENEW = 2;

    private final LedgerRequestListener listener;
    private final LedgerCommands commands;
    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<Cache> aggregateCaches;
    private final KafkaListenerEndpointRegistry listeners;
    private final ObjectMapper json;
    private final WarmUpSize size;

    IntakeWarmUp(LedgerRequestListener listener, LedgerCommands commands, TransactionTemplate transaction,
                 JdbcTemplate jdbc, ObjectProvider<Cache> aggregateCaches, KafkaListenerEndpointRegistry listeners, ObjectMapper json,
                 @Value("${playbill.ledger.warm-up.rounds:20}") int rounds,
                 @Value("${playbill.ledger.warm-up.accounts:10}") int accounts,
                 @Value("${playbill.ledger.warm-up.renews:6}") int renews,
                 @Value("${playbill.ledger.warm-up.time-limit:20s}") Duration timeLimit,
                 @Value("${playbill.ledger.snapshot-threshold:250}") int snapshotThreshold) {
        this.listener = listener;
        this.commands = commands;
        this.transaction = transaction;
        this.jdbc = jdbc;
        this.aggregateCaches = aggregateCaches;
        this.listeners = listeners;
        this.json = json;
        // A warm-up account must not reach the snapshot threshold: its snapshot would read an account never stored.
        int renewsBelowThreshold = Math.min(renews, (snapshotThreshold - EVENTS_BESIDES_RENEWS) / EVENTS_PER_RENEW);
        this.size = new WarmUpSize(renewsBelowThreshold < 1 ? 0 : rounds, accounts, renewsBelowThreshold, timeLimit);
    }

    /** After the context has started (Axon's processors, the web server), before readiness: warm up, then read. */
    @EventListener(ApplicationStartedEvent.class)
    void warmUpThenStartIntake() {
        if (size.rounds() == 0) {
            log.info("No warm-up: playbill.ledger.warm-up.rounds is 0, or playbill.ledger.snapshot-threshold is too"
                    + " low for a warm-up account");
        } else {
            try {
                WarmUpResult result = warmUp();
                log.info("Warm-up: {} requests decided in {} ms ({} renews accepted) and rolled back",
                        result.decided(), result.took().toMillis(), result.renewsAccepted());
            } catch (RuntimeException failure) {
                // A warm-up is worth nothing that would keep the intake from reading: an outage shows there.
                log.warn("Warm-up failed ({}); starting the intake anyway", failure.toString());
            }
        }
        listeners.getListenerContainer(LedgerRequestListener.INTAKE).start();
    }

    /** Decides {@link WarmUpSize#rounds} rounds of made-up traffic, each in a transaction that is rolled back. */
    WarmUpResult warmUp() {
        long started = System.nanoTime();
        long deadline = started + size.timeLimit().toNanos();
        int decided = 0;
        int renewsAccepted = 0;
        for (int round = 0; round < size.rounds() && System.nanoTime() < deadline; round++) {
            int[] counts;
            try {
                counts = transaction.execute(status -> {
                    status.setRollbackOnly();
                    shadowTheEventTable();
                    return decideOneRound();
                });
            } finally {
                // The cached aggregates hold the rolled-back events (the price list's too).
                aggregateCaches.forEach(Cache::removeAll);
            }
            decided += counts[0];
            renewsAccepted += counts[1];
        }
        return new WarmUpResult(decided, renewsAccepted, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Gives this transaction an event table of its own: a temporary one, which the search path puts in front of the
     * real one, numbered by a temporary sequence. Rolling back inserts into the real table would leave their global
     * indexes as gaps, which the publisher then carries in its token and asks for in every read until they time out
     * (a first try ran command-service out of memory). Setting the search path also makes PostgreSQL plan again any
     * statement this connection prepared before; the rollback drops both and restores the path.
     */
    private void shadowTheEventTable() {
        String schema = jdbc.queryForObject("select quote_ident(current_schema())", String.class);
        String searchPath = jdbc.queryForObject("show search_path", String.class);
        jdbc.execute("create temporary sequence warm_up_global_index");
        jdbc.execute("create temporary table domain_event_entry (like " + schema + ".domain_event_entry"
                + " including all)");
        jdbc.execute("alter table pg_temp.domain_event_entry alter column global_index"
                + " set default nextval('pg_temp.warm_up_global_index')");
        jdbc.execute("set local search_path to pg_temp, " + searchPath);
    }

    /** One round: a price, then each account's whole session, in a batch's order. Returns {decided, renews}. */
    private int[] decideOneRound() {
        String round = UUID.randomUUID().toString();
        String queue = "warm-up-" + round;
        long now = System.currentTimeMillis();
        List<String> users = new ArrayList<>(size.accounts());
        for (int i = 0; i < size.accounts(); i++) {
            users.add("warm-up-" + round + "-" + i);
        }
        commands.beforeBatch(users);
        int decided = 0;
        int renews = 0;
        decide(OPERATOR.userId(), now - 60_000, new LedgerOperation.SetPrice(queue, 10), OPERATOR);
        decided++;
        for (String user : users) {
            String session = UUID.randomUUID().toString().replace("-", "");
            Actor player = Actor.player(user);
            long at = now;
            decide(user, at, new LedgerOperation.Deposit(100_000, "warm-up-" + session), OPERATOR);
            decide(user, at, new LedgerOperation.AuthorizeSession(session, queue), player);
            decide(user, at, new LedgerOperation.StartSession(session, queue), player);
            long lastDeadline = 0;
            for (int renew = 0; renew < size.renews(); renew++) {
                LedgerReply reply = decide(user, at, new LedgerOperation.RenewSession(session, lastDeadline), player);
                if (reply.accepted() && reply.deadline() != null) {
                    lastDeadline = reply.deadline();
                    renews++;
                }
                at += RENEW_EVERY_MILLIS;
            }
            decide(user, at, new LedgerOperation.StopSession(session), player);
            decided += 4 + size.renews();
        }
        return new int[] {decided, renews};
    }

    private LedgerReply decide(String user, long receivedAtMillis, LedgerOperation operation, Actor actor) {
        LedgerRequest request = new LedgerRequest(UUID.randomUUID().toString(), user, receivedAtMillis, operation,
                actor);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a warm-up request", e);
        }
        LedgerReply reply = listener.decide(new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, 0, user, bytes)).reply();
        listener.toJson(reply);
        return reply;
    }

    /** How much made-up traffic; the time limit bounds a slow start. */
    record WarmUpSize(int rounds, int accounts, int renews, Duration timeLimit) {
    }

    /** What a warm-up did. */
    record WarmUpResult(int decided, int renewsAccepted, Duration took) {
    }
}
