package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * What the tests of an operator's answer to a parked request share: a parked deposit, the answer delivered to the
 * intake, what it answered, and a way to hold a decision inside its event insert so that two answers overlap.
 */
record ParkedRequestFixture(JdbcTemplate jdbc, ObjectMapper json, LedgerRequestListener listener,
                            DataSource dataSource) {

    /** A deposit for {@code user} as the intake parks one, with no reply headers: its id. */
    long parkDeposit(String user, String reference) throws Exception {
        LedgerOperation deposit = new LedgerOperation.Deposit(100, reference);
        byte[] payload = json.writeValueAsBytes(new LedgerRequest(UUID.randomUUID().toString(), user,
                System.currentTimeMillis(), deposit, TestActors.of(user, deposit)));
        return jdbc.queryForObject("insert into parked_request (topic, topic_partition, topic_offset, record_key,"
                        + " payload, error, attempts, parked_at) values (?, 0, ?, ?, ?, 'refused', 3, now()) returning id",
                Long.class, LedgerTopics.REQUESTS, -ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), user,
                payload);
    }

    /**
     * An admin's {@code action} ("retry" or "skip") of parked request {@code parkedId}, as the intake receives it,
     * with no one waiting; whatever the intake throws comes out as it is.
     */
    void resolve(String requestId, long parkedId, String action) throws Exception {
        byte[] request = json.writeValueAsBytes(new LedgerRequest(requestId, "ops", System.currentTimeMillis(),
                new LedgerOperation.ResolveParked("intake", String.valueOf(parkedId), action), TestActors.ADMIN));
        listener.onRequests(List.of(new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, 0L, "ops", request)));
    }

    /** The answer {@code requestId} got, as kept in {@code parked_resolution}. */
    Map<String, Object> answer(String requestId) {
        return jdbc.queryForMap("select accepted, error_code, message from parked_resolution where request_id = ?",
                requestId);
    }

    /** How many of the user's stored events name {@code text} (a deposit's reference). */
    int eventsNaming(String user, String text) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and"
                + " position(? in convert_from(payload, 'UTF8')) > 0", Integer.class, user, text);
    }

    /** The sessions of this database waiting for a lock. */
    int waitingForLocks() {
        return jdbc.queryForObject("select count(distinct l.pid) from pg_locks l join pg_stat_activity a on a.pid"
                + " = l.pid where a.datname = current_database() and not l.granted", Integer.class);
    }

    /**
     * Runs {@code first} until its insert of an event naming {@code text} waits, then {@code second} until {@code
     * secondHeld} says it is held too (or done), and only then lets both go on; returns once both are done.
     */
    void overlap(String text, long lock, Runnable first, Runnable second,
                 Predicate<CompletableFuture<Void>> secondHeld) throws Exception {
        jdbc.execute("create or replace function hold_" + lock + "() returns trigger language plpgsql as $$ begin"
                + " if position('" + text + "' in convert_from(new.payload, 'UTF8')) > 0 then"
                + " perform pg_advisory_xact_lock(" + lock + "); end if; return new; end $$");
        jdbc.execute("create trigger hold_" + lock + " before insert on domain_event_entry for each row"
                + " execute function hold_" + lock + "()");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection(); Statement hold = holder.createStatement()) {
            hold.execute("select pg_advisory_lock(" + lock + ")");
            try {
                CompletableFuture<Void> one = CompletableFuture.runAsync(first, threads);
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingForLocks() == 1);
                CompletableFuture<Void> two = CompletableFuture.runAsync(second, threads);
                await().atMost(Duration.ofSeconds(30)).until(() -> secondHeld.test(two));
                hold.execute("select pg_advisory_unlock(" + lock + ")");
                one.get(30, TimeUnit.SECONDS);
                two.get(30, TimeUnit.SECONDS);
            } finally {
                // Not back to the pool holding the lock.
                hold.execute("select pg_advisory_unlock_all()");
            }
        } finally {
            threads.shutdownNow();
            jdbc.execute("drop trigger if exists hold_" + lock + " on domain_event_entry");
            jdbc.execute("drop function if exists hold_" + lock + "()");
        }
    }
}
