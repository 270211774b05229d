package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operators resolving the same parked request at once (two admins' requests, which the gateway keys by admin, on
 * two instances): exactly one of them acts, the other answers not found, and the stored status is what happened.
 *
 * <p>The race is forced, not hoped for: the retried request's event insert waits on an advisory lock the test holds
 * until the second resolution has either finished or is itself waiting on a lock.
 */
@SpringBootTest
class ParkedRequestRaceIntegrationTest extends LedgerIntegrationTest {

    private static final long HOLD = 720_451L;

    @Autowired
    LedgerRequestListener listener;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ObjectMapper json;

    @Test
    void aSkipWhileARetryOfTheSameItemIsDecidingFindsNothingParkedAndTheItemStaysRetried() throws Exception {
        Map<String, Map<String, Object>> answers = race("retry", "skip");
        assertThat(answers.get("retry")).as("the retry, first, decided it").containsEntry("accepted", true);
        assertThat(answers.get("skip")).as("the skip came too late")
                .containsEntry("accepted", false).containsEntry("error_code", "PARKED_ITEM_NOT_FOUND");
    }

    @Test
    void twoRetriesOfTheSameItemAtOnceDecideItOnce() throws Exception {
        Map<String, Map<String, Object>> answers = race("retry", "retry again");
        assertThat(answers.get("retry")).containsEntry("accepted", true);
        assertThat(answers.get("retry again")).as("the second retry came too late")
                .containsEntry("accepted", false).containsEntry("error_code", "PARKED_ITEM_NOT_FOUND");
    }

    /**
     * Parks a deposit, then resolves it with {@code first} and, while {@code first} is deciding it, with
     * {@code second} ("retry ..." or "skip ..."). The answers each got, as kept in {@code parked_resolution}, by name.
     */
    private Map<String, Map<String, Object>> race(String first, String second) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "raced-" + id;
        long parkedId = parkDeposit(user, "held-" + id);
        jdbc.execute("create or replace function hold_marked() returns trigger language plpgsql as $$ begin"
                + " if position('held-" + id + "' in convert_from(new.payload, 'UTF8')) > 0 then"
                + " perform pg_advisory_xact_lock(" + HOLD + "); end if; return new; end $$");
        jdbc.execute("create trigger hold_marked before insert on domain_event_entry for each row"
                + " execute function hold_marked()");
        String firstId = UUID.randomUUID().toString();
        String secondId = UUID.randomUUID().toString();
        ExecutorService operators = Executors.newFixedThreadPool(2);
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        try (Connection holder = dataSource.getConnection(); Statement hold = holder.createStatement()) {
            hold.execute("select pg_advisory_lock(" + HOLD + ")");
            try {
                CompletableFuture<Void> one = CompletableFuture.runAsync(() -> resolve(firstId, parkedId, first),
                        operators);
                await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 1);
                CompletableFuture<Void> two = CompletableFuture.runAsync(() -> {
                    secondThread.set(Thread.currentThread());
                    resolve(secondId, parkedId, second);
                }, operators);
                // Done, or waiting for the first: on a row lock, or on the account's lock in this JVM (Axon's).
                await().atMost(Duration.ofSeconds(30)).until(() -> two.isDone() || waiting() == 2
                        || waitsForAnAggregate(secondThread.get()));
                hold.execute("select pg_advisory_unlock(" + HOLD + ")");
                one.get(30, TimeUnit.SECONDS);
                two.get(30, TimeUnit.SECONDS);
            } finally {
                // Not back to the pool holding the lock.
                hold.execute("select pg_advisory_unlock_all()");
            }
        } finally {
            operators.shutdownNow();
            jdbc.execute("drop trigger if exists hold_marked on domain_event_entry");
            jdbc.execute("drop function if exists hold_marked()");
        }
        Map<String, Map<String, Object>> answers = Map.of(first, answer(firstId), second, answer(secondId));
        String status = jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId);
        String acted = answers.entrySet().stream().filter(answer -> Boolean.TRUE.equals(answer.getValue()
                .get("accepted"))).map(Map.Entry::getKey).findFirst().orElse("none");
        assertThat(answers.values().stream().filter(answer -> Boolean.TRUE.equals(answer.get("accepted"))))
                .as("exactly one resolution acted: %s", answers).hasSize(1);
        assertThat(status).as("the stored status says what the one that acted did")
                .isEqualTo(acted.startsWith("skip") ? "skipped" : "retried");
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and"
                        + " position(? in convert_from(payload, 'UTF8')) > 0", Integer.class, user, "held-" + id))
                .as("the deposit decided once").isEqualTo(acted.startsWith("skip") ? 0 : 1);
        return answers;
    }

    /** A deposit for {@code user} as the intake parks one, with no reply headers: its id. */
    private long parkDeposit(String user, String reference) throws Exception {
        LedgerOperation deposit = new LedgerOperation.Deposit(100, reference);
        byte[] payload = json.writeValueAsBytes(new LedgerRequest(UUID.randomUUID().toString(), user,
                System.currentTimeMillis(), deposit, TestActors.of(user, deposit)));
        return jdbc.queryForObject("insert into parked_request (topic, topic_partition, topic_offset, record_key,"
                        + " payload, error, attempts, parked_at) values (?, 0, ?, ?, ?, 'refused', 3, now()) returning id",
                Long.class, LedgerTopics.REQUESTS, -ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), user,
                payload);
    }

    /** An admin's retry or skip of parked request {@code parkedId}, as the intake receives it, with no one waiting. */
    private void resolve(String requestId, long parkedId, String action) {
        LedgerOperation operation = new LedgerOperation.ResolveParked("intake", String.valueOf(parkedId),
                action.split(" ")[0]);
        try {
            byte[] request = json.writeValueAsBytes(new LedgerRequest(requestId, "ops", System.currentTimeMillis(),
                    operation, TestActors.ADMIN));
            listener.onRequests(List.of(new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, 0L, "ops", request)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer {@code requestId} got. */
    private Map<String, Object> answer(String requestId) {
        return jdbc.queryForMap("select accepted, error_code, message from parked_resolution where request_id = ?",
                requestId);
    }

    private static boolean waitsForAnAggregate(Thread thread) {
        return thread != null && thread.getState() != Thread.State.RUNNABLE && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().startsWith("org.axonframework.common.lock"));
    }

    /** The sessions of this database waiting for a lock. */
    private int waiting() {
        return jdbc.queryForObject("select count(distinct l.pid) from pg_locks l join pg_stat_activity a on a.pid"
                + " = l.pid where a.datname = current_database() and not l.granted", Integer.class);
    }
}
