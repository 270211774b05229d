package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.support.LedgerIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.TransientDataAccessException;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An operator's retry or skip whose answer could not be kept for now (a database blip) takes effect with it or not at
 * all: the request delivered again gets the real outcome, not "not found" for the item it resolved itself.
 */
@SpringBootTest
class ParkedResolutionAnswerIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    LedgerRequestListener listener;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;

    @Test
    void aRetryDeliveredTwiceAtOnceAnswersBothDeliveriesWithItsDecision() throws Exception {
        // A zombie consumer after a rebalance: the second delivery waits for the first's claim, then finds nothing
        // parked; it must answer what the first did, not not-found.
        long hold = 720_452L;
        String user = "zombie-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parkDeposit(user, "held-" + user);
        String requestId = UUID.randomUUID().toString();
        double notFoundBefore = notFoundAnswers();
        jdbc.execute("create or replace function hold_zombie() returns trigger language plpgsql as $$ begin"
                + " if position('held-" + user + "' in convert_from(new.payload, 'UTF8')) > 0 then"
                + " perform pg_advisory_xact_lock(" + hold + "); end if; return new; end $$");
        jdbc.execute("create trigger hold_zombie before insert on domain_event_entry for each row"
                + " execute function hold_zombie()");
        ExecutorService consumers = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection(); Statement statement = holder.createStatement()) {
            statement.execute("select pg_advisory_lock(" + hold + ")");
            try {
                CompletableFuture<Void> first = CompletableFuture.runAsync(() -> resolveUnchecked(requestId,
                        parkedId), consumers);
                await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 1);
                CompletableFuture<Void> second = CompletableFuture.runAsync(() -> resolveUnchecked(requestId,
                        parkedId), consumers);
                await().atMost(Duration.ofSeconds(30)).until(() -> waiting() == 2);
                statement.execute("select pg_advisory_unlock(" + hold + ")");
                first.get(30, TimeUnit.SECONDS);
                second.get(30, TimeUnit.SECONDS);
            } finally {
                statement.execute("select pg_advisory_unlock_all()");
            }
        } finally {
            consumers.shutdownNow();
            jdbc.execute("drop trigger if exists hold_zombie on domain_event_entry");
            jdbc.execute("drop function if exists hold_zombie()");
        }

        assertThat(answer(requestId)).containsEntry("accepted", true);
        assertThat(notFoundAnswers()).as("neither delivery answered not found").isEqualTo(notFoundBefore);
        assertThat(eventsNaming(user, "held-" + user))
                .as("the deposit decided once").isEqualTo(1);
    }

    /** How many of the user's stored events name {@code text} (a deposit's reference). */
    private int eventsNaming(String user, String text) {
        return jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and"
                + " position(? in convert_from(payload, 'UTF8')) > 0", Integer.class, user, text);
    }

    private double notFoundAnswers() {
        var counter = meters.find("playbill.ledger.decisions").tag("operation", "resolve-parked")
                .tag("outcome", "parked_item_not_found").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The sessions of this database waiting for a lock. */
    private int waiting() {
        return jdbc.queryForObject("select count(distinct l.pid) from pg_locks l join pg_stat_activity a on a.pid"
                + " = l.pid where a.datname = current_database() and not l.granted", Integer.class);
    }

    private void resolveUnchecked(String requestId, long parkedId) {
        try {
            resolve(requestId, parkedId, "retry");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetryWhoseAnswerFailedOnceIsAnsweredWithItsDecisionWhenDeliveredAgain() throws Exception {
        String user = "blip-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parkDeposit(user, "ref-" + user);
        String requestId = UUID.randomUUID().toString();

        resolveWhileTheFirstAnswerFails(requestId, parkedId, "retry");

        assertThat(answer(requestId)).containsEntry("accepted", true);
        assertThat(jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId))
                .isEqualTo("retried");
        assertThat(eventsNaming(user, "ref-" + user))
                .as("the deposit decided once").isEqualTo(1);
    }

    @Test
    void aSkipWhoseAnswerFailedOnceIsAnsweredSkippedWhenDeliveredAgain() throws Exception {
        String user = "blip-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parkDeposit(user, "ref-" + user);
        String requestId = UUID.randomUUID().toString();

        resolveWhileTheFirstAnswerFails(requestId, parkedId, "skip");

        assertThat(answer(requestId)).containsEntry("accepted", true).containsEntry("error_code", null);
        assertThat(jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId))
                .isEqualTo("skipped");
    }

    /** Delivers the resolution twice: the first time keeping its answer fails as a blip would (40001), once. */
    private void resolveWhileTheFirstAnswerFails(String requestId, long parkedId, String action) throws Exception {
        jdbc.execute("create sequence if not exists answer_blips");
        jdbc.execute("create or replace function answer_blip() returns trigger language plpgsql as $$ begin"
                + " if new.request_id = '" + requestId + "' and nextval('answer_blips') % 2 = 1 then"
                + " raise exception 'blip' using errcode = '40001'; end if; return new; end $$");
        jdbc.execute("create trigger answer_blip before insert on parked_resolution for each row"
                + " execute function answer_blip()");
        try {
            jdbc.execute("select setval('answer_blips', 2)");
            assertThatThrownBy(() -> resolve(requestId, parkedId, action))
                    .as("a blip fails the batch for its retry").isInstanceOf(TransientDataAccessException.class);
            resolve(requestId, parkedId, action);
        } finally {
            jdbc.execute("drop trigger if exists answer_blip on parked_resolution");
            jdbc.execute("drop function if exists answer_blip()");
        }
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
    private void resolve(String requestId, long parkedId, String action) throws Exception {
        byte[] request = json.writeValueAsBytes(new LedgerRequest(requestId, "ops", System.currentTimeMillis(),
                new LedgerOperation.ResolveParked("intake", String.valueOf(parkedId), action), TestActors.ADMIN));
        listener.onRequests(List.of(new ConsumerRecord<>(LedgerTopics.REQUESTS, 0, 0L, "ops", request)));
    }

    private Map<String, Object> answer(String requestId) {
        return jdbc.queryForMap("select accepted, error_code, message from parked_resolution where request_id = ?",
                requestId);
    }
}
