package io.playbill.query.parked;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.projection.LedgerEvent;
import io.playbill.query.projection.LedgerTopic;
import io.playbill.query.projection.ParkedEvent;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.PoisonGuard;
import io.playbill.query.projection.Projection;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.RecordPosition;
import io.playbill.query.projection.TopicRecords;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * One event a projection cannot apply (here: a check constraint refuses its statement line) is parked after its
 * attempts while everyone else's events go on; the user's later events wait behind it; the health says DEGRADED and
 * the gauge counts it; an operator's retry after the fix applies them in order. A database failure every event would
 * meet parks nothing. A replay meets a parked event the same way, and its swap keeps it.
 *
 * <p>Every test leaves the projections agreeing with the ledger (other tests audit everything).
 */
class ParkedEventsIntegrationTest extends QueryServiceTest {

    private static final long T = Instant.parse("2035-03-01T00:00:00Z").toEpochMilli();

    @Autowired
    private ParkedEvents parkedEvents;
    @Autowired
    private PoisonGuard guard;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private LedgerTopic topic;

    /** A failed insert would stop a replay or a rebuild at that record for good, as a throw would. */
    @Test
    void aRecordWithoutATypeHeaderOrWithAnOverlongOneIsParkedAllTheSame() {
        String user = "no-type-" + UUID.randomUUID().toString().substring(0, 8);
        for (String type : new String[]{null, " ", "x".repeat(300)}) {
            LedgerEvent event = new LedgerEvent(UUID.randomUUID().toString(), user, 0, Instant.ofEpochMilli(T),
                    new TopicRecords.Undecodable(type, "unreadable"));
            parkedEvents.park(Projection.values()[0], true, event, new RecordPosition(0, 1), "parked", "unreadable",
                    1);
        }
        try {
            assertThat(parkedEvents.ofUser(Projection.values()[0].id(), true, user)).extracting(ParkedEvent::eventType)
                    .containsExactlyInAnyOrder("(no type)", "(no type)", "x".repeat(255));
        } finally {
            jdbc.update("delete from parked_event where user_id = ?", user);
        }
    }

    /**
     * The live processor parks an event it cannot decode as soon as Axon fails to decode it, before the batch's
     * events reach the guard at the batch's commit. Those of the same user before it in the batch are applied; only
     * those after it wait. Before, every event of that user in the batch waited, earlier ones included, and the
     * parked list showed a waiting row older than its parked one. (Shadow rows, as a replay's, so that nothing here
     * reaches the live read models.)
     */
    @Test
    void anEventThatCannotBeDecodedHoldsBackOnlyTheUsersLaterEventsOfItsBatch() {
        String user = "undecodable-" + UUID.randomUUID().toString().substring(0, 8);
        Projection projection = Projection.values()[0];
        LedgerEvent before = new LedgerEvent(UUID.randomUUID().toString(), user, 5, Instant.ofEpochMilli(T), "#5");
        LedgerEvent unreadable = new LedgerEvent(UUID.randomUUID().toString(), user, 6, Instant.ofEpochMilli(T),
                new TopicRecords.Undecodable(FundsDeposited.class.getName(), "unreadable"));
        LedgerEvent after = new LedgerEvent(UUID.randomUUID().toString(), user, 7, Instant.ofEpochMilli(T), "#7");
        List<LedgerEvent> applied = new ArrayList<>();
        TransactionTemplate batch = new TransactionTemplate(transactions);
        try {
            batch.executeWithoutResult(status -> {
                // As UndecodableEvents does while the batch is read, then the batch's decoded events at its commit.
                guard.apply(projection, true, events -> {
                }, List.of(unreadable), Map.of());
                guard.apply(projection, true, applied::addAll, List.of(before, after), Map.of());
            });

            assertThat(applied).containsExactly(before);
            assertThat(parkedEvents.ofUser(projection.id(), true, user))
                    .extracting(ParkedEvent::sequence, ParkedEvent::status)
                    .containsExactlyInAnyOrder(tuple(6L, ParkedEvent.PARKED), tuple(7L, ParkedEvent.WAITING));
        } finally {
            jdbc.update("delete from parked_event where user_id = ?", user);
        }
    }

    /**
     * Two users' bad events alone in one batch, each refused by PostgreSQL for its own data (a NULL queue: SQLSTATE
     * 23502), are both parked and the projection goes on with a third user's event. Before, a batch in which every
     * user's events failed was rethrown as an outage whatever the failures: the live processor retried it for good
     * (every projection frozen) and a replay failed. (Shadow rows, as a replay's.)
     */
    @Test
    void twoUsersBadEventsAloneInABatchAreBothParkedAndALaterEventIsProjected() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String first = "null-queue-a-" + id;
        String second = "null-queue-b-" + id;
        String third = "good-" + id;
        String table = "poison_probe_" + id;
        Projection projection = Projection.values()[0];
        jdbc.execute("create table " + table + " (user_id text not null, queue text not null)");
        // Writes the event's payload as its queue; "none" stands for an event that carries no queue.
        Projector projector = events -> events.forEach(event -> jdbc.update("insert into " + table
                + " values (?, ?)", event.aggregateId(), "none".equals(event.payload()) ? null : event.payload()));
        TransactionTemplate batch = new TransactionTemplate(transactions);
        try {
            List<LedgerEvent> bad = List.of(event(first, 1, "none"), event(second, 1, "none"));
            applyAsTheProcessorRetriesIt(batch, () -> guard.apply(projection, true, projector, bad, Map.of()));
            batch.executeWithoutResult(status -> guard.apply(projection, true, projector,
                    List.of(event(third, 1, "standard")), Map.of()));

            for (String user : List.of(first, second)) {
                assertThat(parkedEvents.ofUser(projection.id(), true, user)).as(user)
                        .singleElement().satisfies(parked -> {
                            assertThat(parked.status()).isEqualTo(ParkedEvent.PARKED);
                            assertThat(parked.error()).contains("queue");
                        });
            }
            assertThat(jdbc.queryForList("select user_id from " + table, String.class)).containsExactly(third);
        } finally {
            jdbc.execute("drop table if exists " + table);
            jdbc.update("delete from parked_event where user_id in (?, ?, ?)", first, second, third);
        }
    }

    /**
     * Every user's events failing is retried whole for the all-failed patience (2 s in these tests): nothing parks on
     * the first failure, as it may be one cause they all meet; once the patience is out, each is parked.
     */
    @Test
    void everyUsersEventFailingAlikeParksNothingUntilThePatienceIsOut() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> users = List.of("alike-a-" + id, "alike-b-" + id);
        Projection projection = Projection.values()[0];
        Projector broken = events -> {
            throw new IllegalStateException("the projector cannot run");
        };
        TransactionTemplate batch = new TransactionTemplate(transactions);
        try {
            List<LedgerEvent> events = List.of(event(users.get(0), 1, "x"), event(users.get(1), 1, "x"));
            assertThatThrownBy(() -> batch.executeWithoutResult(status -> guard.apply(projection, true, broken,
                    events, Map.of()))).hasMessageContaining("cannot run");
            users.forEach(user -> assertThat(parkedEvents.ofUser(projection.id(), true, user)).isEmpty());

            applyAsTheProcessorRetriesIt(batch, () -> guard.apply(projection, true, broken, events, Map.of()));
            users.forEach(user -> assertThat(parkedEvents.ofUser(projection.id(), true, user)).as(user)
                    .singleElement().satisfies(parked -> assertThat(parked.error()).contains("cannot run")));
        } finally {
            jdbc.update("delete from parked_event where user_id in (?, ?)", users.get(0), users.get(1));
        }
    }

    /**
     * The patience runs per projection, not per batch: a batch retried after a failure may begin with another event
     * (the topic's partitions are read again in another order), and each order restarted it.
     */
    @Test
    void thePatienceRunsOnWhenTheRetriedBatchBeginsWithAnotherEvent() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LedgerEvent a = event("order-a-" + id, 1, "x");
        LedgerEvent b = event("order-b-" + id, 1, "x");
        // A replay's key: the live processor of this JVM applies live batches meanwhile, and each success clears its own.
        Projection projection = Projection.values()[2];
        Projector broken = events -> {
            throw new IllegalStateException("the projector cannot run");
        };
        TransactionTemplate batch = new TransactionTemplate(transactions);
        try {
            Instant firstFailure = Instant.now();
            assertThatThrownBy(() -> batch.executeWithoutResult(status -> guard.apply(projection, true, broken,
                    List.of(a, b), Map.of()))).isInstanceOf(PoisonGuard.AllUsersFailing.class);
            Thread.sleep(1200); // well inside the 2 s patience
            assertThatThrownBy(() -> batch.executeWithoutResult(status -> guard.apply(projection, true, broken,
                    List.of(b, a), Map.of()))).isInstanceOf(PoisonGuard.AllUsersFailing.class);
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), firstFailure.plusMillis(2300)).toMillis()));

            // Past the patience since the first failure, but not since the first failure of a batch beginning with b.
            batch.executeWithoutResult(status -> guard.apply(projection, true, broken, List.of(b, a), Map.of()));

            assertThat(parkedEvents.ofUser(projection.id(), true, a.aggregateId())).hasSize(1);
            assertThat(parkedEvents.ofUser(projection.id(), true, b.aggregateId())).hasSize(1);
        } finally {
            jdbc.update("delete from parked_event where user_id in (?, ?)", a.aggregateId(), b.aggregateId());
        }
    }

    /** Applies a batch until it goes through, as a processor retries a failed batch (at most 30 s). */
    private static void applyAsTheProcessorRetriesIt(TransactionTemplate batch, Runnable apply) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> batch.executeWithoutResult(status -> apply.run()));
    }

    private static LedgerEvent event(String user, long sequence, String payload) {
        return new LedgerEvent(UUID.randomUUID().toString(), user, sequence, Instant.ofEpochMilli(T), payload);
    }

    /**
     * A record whose value is the JSON literal null reads as no payload without failing, and a tombstone (no value)
     * was dropped by the Kafka extension's converter: the first made every batch fail for good, holding back every
     * user's projections, the second skipped the event while the user's later ones went on. Both are parked now, and
     * only their user waits.
     */
    @Test
    void aRecordWithTheJsonNullOrNoValueIsParkedAndHoldsBackOnlyItsUser() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String other = "other-" + id;
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("json-null-" + id, "null".getBytes(StandardCharsets.UTF_8));
        values.put("tombstone-" + id, null);
        values.forEach((user, value) -> ledger().account(user).add(new AccountOpened(user, T))
                .addPublishedAs(new FundsDeposited(user, "d1", Money.of(100), Money.of(100), T + 1, null), value)
                .add(new FundsDeposited(user, "d2", Money.of(50), Money.of(150), T + 2, null)));
        ledger().account(other).add(new AccountOpened(other, T),
                new FundsDeposited(other, "d1", Money.of(70), Money.of(70), T + 3, null));
        awaitProjections();

        assertThat(statementLines(other)).as("another user's events go through").isEqualTo(1);
        JsonNode parked = api().get("/admin/parked/events?projection=statement", "ops", "admin").json();
        for (String user : values.keySet()) {
            assertThat(statementLines(user)).as("nothing of %s after the parked event", user).isZero();
            JsonNode rows = rowsOf(parked, user);
            assertThat(rows).as(user).hasSize(2);
            assertThat(rows.get(1).get("status").asText()).isEqualTo("parked");
            assertThat(rows.get(1).get("sequence").asLong()).isEqualTo(1);
            assertThat(rows.get(0).get("status").asText()).isEqualTo("waiting");
            assertThat(rows.get(0).get("sequence").asLong()).isEqualTo(2);
        }

        // An operator skips each unreadable event (in every projection): the user's later deposit is applied.
        for (String user : values.keySet()) {
            JsonNode all = api().get("/admin/parked/events", "ops", "admin").json();
            all.get("items").forEach(item -> {
                if (user.equals(item.get("userId").asText()) && "parked".equals(item.get("status").asText())) {
                    assertThat(api().post("/admin/parked/events/" + item.get("id").asLong() + "/skip", "ops", "admin")
                            .status()).isEqualTo(200);
                }
            });
            assertThat(waitFor(Duration.ofSeconds(10), () -> statementLines(user) == 1)).as(user).isTrue();
        }
        assertThat(health().json.get("status").asText()).isEqualTo("UP");
    }

    @Test
    void aRefusedEventIsParkedWithTheUsersLaterOnesWhileOthersGoOnUntilAnOperatorRetriesIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String poisoned = "poisoned-" + id;
        String other = "other-" + id;
        String constraint = "poison_test_" + id;
        refuseStatementLines(constraint, "poison-" + id);
        try {
            ledger().account(poisoned).add(new AccountOpened(poisoned, T),
                    new FundsDeposited(poisoned, "poison-" + id, Money.of(100), Money.of(100), T + 1, null),
                    new FundsDeposited(poisoned, "d2", Money.of(50), Money.of(150), T + 2, null));
            ledger().account(other).add(new AccountOpened(other, T), new FundsDeposited(other, "d1", Money.of(70), Money.of(70), T + 3,
                    null));
            awaitProjections();

            assertThat(statementLines(other)).as("another user's events go through").isEqualTo(1);
            assertThat(statementLines(poisoned)).as("nothing of the user after the parked event").isZero();
            assertThat(api().get("/me/account", poisoned, null).json().get("balance").asLong())
                    .as("other projections are not held back").isEqualTo(150);

            JsonNode parked = api().get("/admin/parked/events?projection=statement", "ops", "admin").json();
            JsonNode rows = rowsOf(parked, poisoned);
            assertThat(rows).hasSize(2);
            JsonNode waiting = rows.get(0);
            JsonNode first = rows.get(1);
            assertThat(first.get("status").asText()).isEqualTo("parked");
            assertThat(first.get("sequence").asLong()).isEqualTo(1);
            assertThat(first.get("attempts").asInt()).isEqualTo(3);
            assertThat(first.get("error").asText()).contains(constraint);
            assertThat(first.get("partition").isNull()).isFalse();
            assertThat(first.get("payload").asText()).contains("poison-" + id);
            assertThat(waiting.get("status").asText()).isEqualTo("waiting");
            assertThat(waiting.get("sequence").asLong()).isEqualTo(2);

            Api health = health();
            assertThat(health.status).isEqualTo(200);
            assertThat(health.json.get("status").asText()).isEqualTo("DEGRADED");
            assertThat(gauge("statement")).isGreaterThanOrEqualTo(2);

            io.playbill.query.support.Api.Response failedAgain = api().post("/admin/parked/events/" + first.get("id").asLong() + "/retry",
                    "ops", "admin");
            assertThat(failedAgain.error()).as("the cause is still there").isEqualTo("409 still_failing");
            assertThat(failedAgain.json().get("error").get("message").asText()).contains(constraint);
            JsonNode stillParked = api().get("/admin/parked/events/" + first.get("id").asLong(), "ops", "admin")
                    .json();
            assertThat(stillParked.get("attempts").asInt()).as("the failed retry is kept").isEqualTo(4);
            assertThat(statementLines(poisoned)).isZero();
            io.playbill.query.support.Api.Response skipWaiting = api().post("/admin/parked/events/"
                    + waiting.get("id").asLong() + "/skip", "ops", "admin");
            assertThat(skipWaiting.error()).as("the waiting event never failed: dropping it would lose it")
                    .isEqualTo("409 not_first_parked");
            assertThat(skipWaiting.json().get("error").get("message").asText()).contains("parked id "
                    + first.get("id").asLong());
            assertThat(rowsOf(api().get("/admin/parked/events?projection=statement", "ops", "admin").json(),
                    poisoned)).as("nothing was dropped").hasSize(2);

            jdbc.execute("alter table statement_line drop constraint " + constraint);
            JsonNode retried = api().post("/admin/parked/events/" + first.get("id").asLong() + "/retry", "ops",
                    "admin").json();
            assertThat(retried.get("applied").asInt()).isEqualTo(2);
            assertThat(retried.get("stillParked")).isEmpty();
        } finally {
            jdbc.execute("alter table statement_line drop constraint if exists " + constraint);
        }
        JsonNode lines = api().get("/me/statement", poisoned, null).json().get("items");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).get("balanceAfter").asLong()).isEqualTo(150);
        assertThat(rowsOf(api().get("/admin/parked/events", "ops", "admin").json(), poisoned)).isEmpty();
        assertThat(health().json.get("status").asText()).isEqualTo("UP");
        assertThat(gauge("statement")).isZero();
        assertThat(api().get("/admin/parked/events/999999999", "ops", "admin").status()).isEqualTo(404);
        assertThat(api().post("/admin/parked/events/999999999/retry", "ops", "admin").status()).isEqualTo(404);
        assertThat(api().get("/admin/parked/events?projection=nope", "ops", "admin").status()).isEqualTo(400);
        assertThat(api().get("/admin/parked/events", "someone", "user").status()).isEqualTo(403);
        assertThat(api().get("/admin/parked/events", "fiona", "finance").error()).isEqualTo("403 forbidden");
        assertThat(api().post("/admin/parked/events/999999999/skip", "fiona", "finance").error())
                .isEqualTo("403 forbidden");
        assertThat(api().post("/admin/parked/events/999999999/skip", "ops", "admin").error())
                .isEqualTo("404 not_parked");
    }

    /**
     * A user parked for long: 601 events behind the failing one. The retry applies them a chunk at a time (each chunk
     * holds every user's projections, not the whole backlog) and goes on across chunks until one fails again; its
     * answer lists the first 100 still parked, not all of them.
     */
    @Test
    void aRetryOfALongBacklogAppliesItAcrossChunksAndListsAtMostAHundredLeft() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "backlog-" + id;
        String first = "backlog_first_" + id;
        String later = "backlog_later_" + id;
        refuseStatementLines(first, "first-" + id);
        refuseStatementLines(later, "later-" + id);
        try {
            List<Object> events = new ArrayList<>();
            events.add(new AccountOpened(user, T));
            long balance = 0;
            for (int i = 0; i < 751; i++) {
                balance += 1;
                String reference = i == 0 ? "first-" + id : i == 600 ? "later-" + id : "d" + i;
                events.add(new FundsDeposited(user, reference, Money.of(1), Money.of(balance), T + 1 + i, null));
            }
            ledger().account(user).add(events.toArray());
            awaitProjections();
            assertThat(statementLines(user)).as("everything waits behind the first deposit").isZero();
            long parkedId = jdbc.queryForObject("select id from parked_event where user_id = ? and projection ="
                    + " 'statement' and status = 'parked'", Long.class, user);

            jdbc.execute("alter table statement_line drop constraint " + first);
            JsonNode retried = api().post("/admin/parked/events/" + parkedId + "/retry", "ops", "admin").json();

            assertThat(retried.get("applied").asInt()).as("deposits 0 to 599, past the first chunk of 500")
                    .isEqualTo(600);
            assertThat(statementLines(user)).isEqualTo(600);
            assertThat(retried.get("stillParked")).as("the first 100 of the 151 left").hasSize(100);
            assertThat(retried.get("stillParked").get(0).get("status").asText()).isEqualTo("parked");
            assertThat(jdbc.queryForObject("select count(*) from parked_event where user_id = ? and projection ="
                    + " 'statement'", Integer.class, user)).isEqualTo(151);
        } finally {
            jdbc.execute("alter table statement_line drop constraint if exists " + first);
            jdbc.execute("alter table statement_line drop constraint if exists " + later);
        }
        long rest = jdbc.queryForObject("select id from parked_event where user_id = ? and projection = 'statement'"
                + " and status = 'parked'", Long.class, user);
        assertThat(api().post("/admin/parked/events/" + rest + "/retry", "ops", "admin").json().get("applied")
                .asInt()).isEqualTo(151);
        assertThat(statementLines(user)).isEqualTo(751);
    }

    @Test
    void aDatabaseFailureEveryEventWouldMeetParksNothingAndIsRetriedUntilItIsGone() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "outage-" + id;
        // On the user's partition, published after: it cannot reach the projection before the user's events.
        String after = onPartitionOf(user, "after-" + id);
        // The connection that writes this user's line dies, as it would with the database going away.
        jdbc.execute("create function outage_" + id + "() returns trigger language plpgsql as $$ begin"
                + " if new.user_id = '" + user + "' then perform pg_terminate_backend(pg_backend_pid()); end if;"
                + " return new; end $$");
        jdbc.execute("create trigger outage_" + id + " before insert on statement_line for each row"
                + " execute function outage_" + id + "()");
        try {
            ledger().account(user).add(new AccountOpened(user, T), new FundsDeposited(user, "d1", Money.of(10), Money.of(10), T, null));
            ledger().account(after).add(new AccountOpened(after, T), new FundsDeposited(after, "d1", Money.of(5), Money.of(5), T, null));
            assertThat(waitFor(Duration.ofSeconds(4), () -> statementLines(after) > 0))
                    .as("the batch waits for the database; it is not cut around the failure").isFalse();
            assertThat(rowsOf(api().get("/admin/parked/events", "ops", "admin").json(), user)).isEmpty();
        } finally {
            jdbc.execute("drop trigger if exists outage_" + id + " on statement_line");
            jdbc.execute("drop function if exists outage_" + id + "()");
        }
        awaitProjections();
        assertThat(statementLines(user)).isEqualTo(1);
        assertThat(statementLines(after)).isEqualTo(1);
        assertThat(rowsOf(api().get("/admin/parked/events", "ops", "admin").json(), user)).isEmpty();
    }

    private String onPartitionOf(String user, String prefix) {
        int partition = ledger().partitionOf(user);
        for (int n = 0; ; n++) {
            if (ledger().partitionOf(prefix + "-" + n) == partition) {
                return prefix + "-" + n;
            }
        }
    }

    @Test
    void aReplayParksWhatItsTablesRefuseAndItsSwapHandsThatToTheLiveTables() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String user = "replayed-" + id;
        String constraint = "poison_replay_" + id;
        ledger().account(user).add(new AccountOpened(user, T),
                new FundsDeposited(user, "poison-" + id, Money.of(30), Money.of(30), T + 1, null),
                new FundsDeposited(user, "d2", Money.of(20), Money.of(50), T + 2, null));
        awaitProjections();
        assertThat(statementLines(user)).isEqualTo(2);

        // A constraint of the live table that the replay's copy inherits; the live lines were written before it.
        jdbc.execute("alter table statement_line add constraint " + constraint
                + " check (coalesce(reference, '') <> 'poison-" + id + "') not valid");
        try {
            assertThat(api().post("/admin/replays/statement", "ops", "admin").status()).isEqualTo(202);
            assertThat(waitFor(Duration.ofMinutes(2), () -> rowsOf(api().get("/admin/parked/events?projection"
                    + "=statement", "ops", "admin").json(), user).size() == 2)).isTrue();
            JsonNode rows = rowsOf(api().get("/admin/parked/events?projection=statement", "ops", "admin").json(),
                    user);
            JsonNode first = rows.get(1);
            assertThat(first.get("replay").asBoolean()).isTrue();
            assertThat(first.get("status").asText()).isEqualTo("parked");
            assertThat(api().post("/admin/parked/events/" + first.get("id").asLong() + "/retry", "ops", "admin")
                    .status()).as("a running replay's parked event waits for its swap").isEqualTo(409);

            assertThat(waitFor(Duration.ofMinutes(2), () -> "completed".equals(api().get("/admin/replays/statement",
                    "ops", "admin").json().get("status").asText()))).isTrue();
            assertThat(statementLines(user)).as("the rebuilt tables lack what the replay parked").isZero();
            rows = rowsOf(api().get("/admin/parked/events?projection=statement", "ops", "admin").json(), user);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1).get("replay").asBoolean()).as("the swap made them the live ones").isFalse();

            jdbc.execute("alter table statement_line drop constraint if exists " + constraint);
            JsonNode retried = api().post("/admin/parked/events/" + rows.get(1).get("id").asLong() + "/retry",
                    "ops", "admin").json();
            assertThat(retried.get("applied").asInt()).isEqualTo(2);
        } finally {
            jdbc.execute("alter table statement_line drop constraint if exists " + constraint);
        }
        assertThat(statementLines(user)).isEqualTo(2);
        assertThat(health().json.get("status").asText()).isEqualTo("UP");
    }

    /**
     * A replay that fails leaves its shadow tables for good, so what it parked for them goes with it. Here an
     * instance parked an event in its replay and died; this instance resumes the replay, whose batch is then refused
     * for good. Before, the parked row stayed: the health said DEGRADED and its retry answered 409
     * {@code parked_by_replay} ("once the replay has completed") until someone ran the replay again.
     */
    @Test
    void aFailedReplayTakesWhatItParkedWithIt() throws Exception {
        String user = "failed-replay-" + UUID.randomUUID().toString().substring(0, 8);
        ledger().account(user).add(new AccountOpened(user, T));
        awaitProjections();
        LedgerTopic.Offsets offsets = topic.offsets();
        String start = json.writeValueAsString(byPartition(offsets.beginning()));
        jdbc.update("""
                insert into projection_replay (projection, status, started_at, events_total, events_done,
                    events_per_second, start_offsets, target_offsets, positions, owner, claimed_until, updated_at)
                values ('statement', 'running', now(), ?, 0, 0, ?, ?, ?, 'a-dead-instance', now() - interval '1 second',
                    now())
                on conflict (projection) do update set status = 'running', started_at = now(), finished_at = null,
                    events_total = excluded.events_total, events_done = 0, start_offsets = excluded.start_offsets,
                    target_offsets = excluded.target_offsets, positions = excluded.positions,
                    owner = excluded.owner, claimed_until = excluded.claimed_until, error = null
                """, offsets.records(), start, json.writeValueAsString(byPartition(offsets.end())), start);
        jdbc.update("""
                insert into parked_event (projection, replay, user_id, event_id, seq, event_type, payload, occurred_at,
                    status, error, attempts, parked_at)
                values ('statement', true, ?, ?, 0, 'AccountOpened', null, now(), 'parked', 'refused', 3, now())
                """, user, "event-of-" + user);
        JsonNode replay;
        Runnable stopRefusing = refusingReplayBatches(Projection.STATEMENT, "23514", "refused for good");
        try {
            assertThat(waitFor(Duration.ofMinutes(1), () -> "failed".equals(api().get("/admin/replays/statement",
                    "ops", "admin").json().get("status").asText()))).as("this instance resumed it, and it failed")
                    .isTrue();
            replay = api().get("/admin/replays/statement", "ops", "admin").json();
        } finally {
            stopRefusing.run();
        }
        assertThat(replay.get("error").asText()).contains("refused for good");
        assertThat(rowsOf(api().get("/admin/parked/events?projection=statement", "ops", "admin").json(), user))
                .as("the failed replay's parked event").isEmpty();
        assertThat(health().json.get("status").asText()).isEqualTo("UP");
    }

    private static Map<Integer, Long> byPartition(Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition;
    }

    /** The statement projection fails on a line with {@code reference} until {@code constraint} is dropped. */
    private void refuseStatementLines(String constraint, String reference) {
        jdbc.execute("alter table statement_line add constraint " + constraint
                + " check (coalesce(reference, '') <> '" + reference + "')");
    }

    private int statementLines(String user) {
        Integer lines = jdbc.queryForObject("select count(*) from statement_line where user_id = ?", Integer.class,
                user);
        return lines == null ? 0 : lines;
    }

    private static JsonNode rowsOf(JsonNode page, String user) {
        var rows = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        page.get("items").forEach(item -> {
            if (user.equals(item.get("userId").asText())) {
                rows.add(item);
            }
        });
        return rows;
    }

    private Api health() {
        var response = api().get("/actuator/health", null, null);
        return new Api(response.status(), response.json());
    }

    private double gauge(String consumer) {
        return api().get("/actuator/metrics/playbill.projection.events.parked?tag=projection:" + consumer, "ops", "admin").json()
                .get("measurements").get(0).get("value").asDouble();
    }

    private static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private record Api(int status, JsonNode json) {
    }
}
