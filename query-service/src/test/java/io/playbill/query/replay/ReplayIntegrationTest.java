package io.playbill.query.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.projection.Projection;
import io.playbill.query.support.Api;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A replay rebuilds a projection from the topic into shadow tables while the old tables keep serving. */
class ReplayIntegrationTest extends QueryServiceTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    ReplayStore store;

    @Test
    void axonTimesNoProjectionHandler(@Autowired ApplicationContext context) {
        // Decision 036: with Axon's timeouts on, every event handled captured its thread's stack and scheduled a
        // warning; a replay handles every event again.
        assertThat(context.getBeanNamesForType(AxonTimeoutAutoConfiguration.class)).isEmpty();
        assertThat(context.getBeanNamesForType(HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
    }

    @Test
    void aReplayFromZeroRebuildsIdenticalTables() throws Exception {
        new ScriptedHistory(Instant.parse("2032-03-01T00:00:00Z")).write(ledger());
        awaitProjections();
        Map<String, List<String>> before = dump();
        String indexes = indexNames();

        for (Projection projection : Projection.values()) {
            JsonNode started = api().post("/admin/replays/" + projection.id(), "ops", "admin").json();
            assertThat(started.get("status").asText()).isIn("running", "swapping", "completed");
            JsonNode done = awaitReplay(projection);
            assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong()).isPositive();
        }

        assertThat(dump()).isEqualTo(before);
        assertThat(indexNames()).as("index names survive the swap").isEqualTo(indexes);
        assertThat(jdbc.queryForList("select processor_name from token_entry where processor_name like '%-replay'"))
                .as("the replay processors' tokens are gone").isEmpty();
    }

    @Test
    void theOldTablesServeUntilTheRebuildIsSwappedIn() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2032-04-01T00:00:00Z")).write(ledger());
        awaitProjections();
        jdbc.update("update account set balance = 12345 where user_id = ?", history.userA);
        String dave = "dave-" + history.id;

        // A long report holding the live table keeps the swap waiting: the rebuilt tables are ready but not in place.
        try (Connection report = dataSource.getConnection()) {
            report.setAutoCommit(false);
            report.createStatement().execute("lock table account in access share mode");
            api().post("/admin/replays/accounts", "ops", "admin");
            JsonNode progress = awaitStatus(Projection.ACCOUNTS, "swapping");
            assertThat(progress.get("eventsDone").asLong()).isEqualTo(progress.get("eventsTotal").asLong());
            assertThat(api().post("/admin/replays/accounts", "ops", "admin").status())
                    .as("one replay of a projection at a time").isEqualTo(409);
            assertThat(balanceOf(history.userA)).as("old data stays readable during the replay").isEqualTo(12345);
            String rebuiltTo = replayPositions(Projection.ACCOUNTS);
            ledger().account(dave).add(new AccountOpened(dave, history.u.toEpochMilli()),
                    new FundsDeposited(dave, "d", Money.of(40), Money.of(40), history.u.toEpochMilli(), null));
            // Each swap attempt caught up, under the live processor's lock, everything since the rebuild stopped, and
            // kept none of it: ever longer and larger while the report lasted. The rebuilt tables now follow.
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (replayPositions(Projection.ACCOUNTS).equals(rebuiltTo) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(replayPositions(Projection.ACCOUNTS)).as("the rebuilt tables follow the live ones while the"
                    + " swap waits").isNotEqualTo(rebuiltTo);
            report.rollback();
        }

        awaitReplay(Projection.ACCOUNTS);
        awaitProjections();
        assertThat(balanceOf(history.userA)).as("the rebuilt table has the balance from the events").isEqualTo(600);
        assertThat(balanceOf(dave)).as("events published during the replay reach the rebuilt table").isEqualTo(40);

        String carol = "carol-" + history.id;
        ledger().account(carol).add(new AccountOpened(carol, history.u.toEpochMilli()),
                new FundsDeposited(carol, "d", Money.of(70), Money.of(70), history.u.toEpochMilli(), null));
        awaitProjections();
        assertThat(balanceOf(carol)).as("the live processor goes on from the replay's position")
                .isEqualTo(70);
    }

    /**
     * A rolling upgrade: an instance of a newer version starts during a replay and migrates a projection table. The
     * swap dropped the migrated table and renamed the shadow, made like the old one, into its place: the migration was
     * undone while Flyway recorded it applied. The replay now fails and the live table keeps its new shape.
     */
    @Test
    void aReplayWhoseLiveTableWasMigratedMeanwhileFailsInsteadOfUndoingTheMigration() throws Exception {
        new ScriptedHistory(Instant.parse("2032-04-15T00:00:00Z")).write(ledger());
        awaitProjections();
        try (Connection report = dataSource.getConnection(); Connection migration = dataSource.getConnection()) {
            // A long read keeps the rebuilt tables waiting for their swap.
            report.setAutoCommit(false);
            report.createStatement().execute("lock table account in access share mode");
            api().post("/admin/replays/accounts", "ops", "admin");
            awaitStatus(Projection.ACCOUNTS, "swapping");
            // Then the replay's row holds the swap back before it takes any lock, while the read ends and the
            // migration, which waits for every reader of the table, runs.
            migration.setAutoCommit(false);
            migration.createStatement().execute("select 1 from projection_replay where projection = 'accounts'"
                    + " for update");
            report.rollback();
            report.setAutoCommit(true);
            report.createStatement().execute("alter table account add column loyalty_points bigint");
            migration.rollback();
        }
        try {
            JsonNode failed = awaitStatus(Projection.ACCOUNTS, "failed");

            assertThat(failed.get("error").asText()).contains("account", "a migration ran since");
            assertThat(jdbc.queryForList("select column_name from information_schema.columns where table_schema ="
                    + " current_schema() and table_name = 'account'", String.class))
                    .as("the migrated live table stays").contains("loyalty_points");
        } finally {
            jdbc.execute("alter table account drop column if exists loyalty_points");
        }
        api().post("/admin/replays/accounts", "ops", "admin");
        awaitReplay(Projection.ACCOUNTS);
    }

    /**
     * Decision 020: an outage is retried, never failed. The replay's connection drops (its backend is terminated,
     * SQLSTATE 57P01) at its batch commits twice in a row: the open batch rolls back, and the replay resumes from its
     * last committed position after a back-off, as it would after a crash, instead of failing and having to start
     * over from the first offset.
     */
    @Test
    void aReplayWhoseConnectionDropsResumesInsteadOfFailing() throws Exception {
        new ScriptedHistory(Instant.parse("2032-05-01T00:00:00Z")).write(ledger());
        awaitProjections();
        Map<String, List<String>> before = dump();
        // A sequence counts the drops: nextval survives the rollback of the terminated transaction.
        jdbc.execute("create sequence replay_connection_drops");
        jdbc.execute("""
                create function drop_replay_connection() returns trigger language plpgsql as $$
                begin
                    if new.projection = 'accounts' and new.events_done > old.events_done then
                        if nextval('replay_connection_drops') <= 2 then
                            perform pg_terminate_backend(pg_backend_pid());
                        end if;
                    end if;
                    return new;
                end $$""");
        jdbc.execute("create trigger drop_replay_connection before update on projection_replay for each row"
                + " execute function drop_replay_connection()");
        try {
            JsonNode started = api().post("/admin/replays/accounts", "ops", "admin").json();
            JsonNode done = awaitReplay(Projection.ACCOUNTS);
            assertThat(jdbc.queryForObject("select last_value from replay_connection_drops", Long.class))
                    .as("both drops happened, and a later commit went through").isGreaterThanOrEqualTo(3);
            assertThat(done.get("startedAt").asText()).as("the same replay, not a new one")
                    .isEqualTo(started.get("startedAt").asText());
            assertThat(done.hasNonNull("error")).as("no error recorded: " + done).isFalse();
            assertThat(done.get("eventsDone").asLong()).isEqualTo(done.get("eventsTotal").asLong()).isPositive();
        } finally {
            jdbc.execute("drop trigger drop_replay_connection on projection_replay");
            jdbc.execute("drop function drop_replay_connection()");
            jdbc.execute("drop sequence replay_connection_drops");
        }
        assertThat(dump()).as("the rebuilt tables hold each event once").isEqualTo(before);
    }

    /**
     * A failure that looks like an outage but never ends (here SQLSTATE 42703, as when a new version's migration
     * changed a table under the replay) fails the replay once no batch has committed for the outage patience (8 s in
     * these tests), so that it shows failed and can be started again, instead of staying running for ever.
     */
    @Test
    void aFailureThatOutlastsTheOutagePatienceFailsTheReplayAndItCanBeStartedAgain() throws Exception {
        new ScriptedHistory(Instant.parse("2032-06-01T00:00:00Z")).write(ledger());
        awaitProjections();
        JsonNode failed;
        Runnable stopRefusing = refusingReplayBatches(Projection.SESSIONS, "42703",
                "column \"added_later\" does not exist");
        try {
            assertThat(api().post("/admin/replays/sessions", "ops", "admin").status()).isEqualTo(202);
            failed = awaitFailed(Projection.SESSIONS);
        } finally {
            stopRefusing.run();
        }
        assertThat(failed.get("error").asText()).contains("No batch committed for").contains("added_later");
        assertThat(api().post("/admin/replays/sessions", "ops", "admin").status()).as("started again")
                .isEqualTo(202);
        awaitReplay(Projection.SESSIONS);
    }

    private JsonNode awaitFailed(Projection projection) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode current = null;
        while (System.nanoTime() < until) {
            current = api().get("/admin/replays/" + projection.id(), "ops", "admin").json();
            if ("failed".equals(current.get("status").asText())) {
                return current;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Replay of " + projection.id() + " not failed within 60 s: " + current);
    }

    /**
     * A replay another instance runs, as this one sees it: the row claimed by that instance. Asked to start the same
     * replay, this instance answers 409 and reports the other's progress instead of starting a second rebuild.
     */
    @Test
    void aReplayRunningOnAnotherInstanceIsReportedNotStartedAgain() {
        jdbc.update("""
                insert into projection_replay (projection, status, started_at, events_total, events_done,
                    events_per_second, start_offsets, target_offsets, positions, owner, claimed_until, updated_at)
                values ('sessions', 'running', now(), 100, 40, 0, '{}', '{}', '{}', 'other-instance',
                    now() + interval '1 hour', now())
                on conflict (projection) do update set status = 'running', events_total = 100, events_done = 40,
                    owner = 'other-instance', claimed_until = now() + interval '1 hour'
                """);
        try {
            Api.Response refused = api().post("/admin/replays/sessions", "ops", "admin");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").get("code").asText()).isEqualTo("replay_in_progress");
            JsonNode status = api().get("/admin/replays/sessions", "ops", "admin").json();
            assertThat(status.get("status").asText()).isEqualTo("running");
            assertThat(status.get("eventsDone").asLong()).as("the other instance's progress").isEqualTo(40);
            // Two instances starting at once both pass any check made before; the claim itself decides.
            Instant now = Instant.now();
            assertThat(store.start("sessions", now, Map.of(0, 0L), Map.of(0, 0L), 0, "this-instance",
                    now.plusSeconds(30))).as("a second claim of an unfinished replay").isFalse();
            // A runner here that lost its claim to the other instance, rebuilt, must not swap the other's tables in.
            assertThat(store.swapping("sessions", "this-instance", now)).as("a swap by an instance not holding it")
                    .isFalse();
            // Nor may it fail the other's replay (a runner of its own that lost the claim in a long outage).
            store.fail(Projection.SESSIONS, "this-instance", "gave up", now);
            assertThat(jdbc.queryForObject("select status || ' ' || owner from projection_replay"
                    + " where projection = 'sessions'", String.class)).as("still the other instance's, running")
                    .isEqualTo("running other-instance");
        } finally {
            jdbc.update("update projection_replay set status = 'failed', owner = null where projection = 'sessions'");
        }
    }

    private long balanceOf(String user) {
        return api().get("/me/account", user, null).json().get("balance").asLong();
    }

    private String replayPositions(Projection projection) {
        return jdbc.queryForObject("select positions from projection_replay where projection = ?", String.class,
                projection.id());
    }

    private JsonNode awaitReplay(Projection projection) throws InterruptedException {
        return awaitStatus(projection, "completed");
    }

    private JsonNode awaitStatus(Projection projection, String status) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode current = null;
        while (System.nanoTime() < until) {
            current = api().get("/admin/replays/" + projection.id(), "ops", "admin").json();
            if (status.equals(current.get("status").asText())) {
                return current;
            }
            assertThat(current.get("status").asText()).isNotEqualTo("failed");
            Thread.sleep(100);
        }
        throw new AssertionError("Replay of " + projection.id() + " not " + status + " within 60 s: " + current);
    }

    /** Every projection table's rows, in key order. */
    private Map<String, List<String>> dump() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (Projection projection : Projection.values()) {
            for (String table : projection.tables()) {
                List<String> rows = new ArrayList<>();
                jdbc.query("select t::text from " + table + " t order by 1", rs -> {
                    rows.add(rs.getString(1));
                });
                tables.put(table, rows);
            }
        }
        return tables;
    }

    private String indexNames() {
        return String.join(",", jdbc.queryForList("select tablename || '.' || indexname from pg_indexes"
                + " where schemaname = current_schema() order by 1", String.class));
    }
}
