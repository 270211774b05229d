package io.playbill.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.support.Api;
import io.playbill.query.support.ChargeCommittedMidRead;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Audits find what was broken on purpose, name it, and are clean again once it is repaired. */
public class AuditIntegrationTest extends QueryServiceTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    Audits audits;

    /**
     * A blank user is no account (the shared user-id rule): it was audited as one and reported clean. Nor is the
     * price list's stream, which was audited as an account and reported none checked.
     */
    @Test
    void aBlankUserOrThePriceListIsRefusedAndStartsNoAudit() {
        Integer before = jdbc.queryForObject("select count(*) from audit_run", Integer.class);
        // Two spaces; an ideographic space; the price list's stream.
        for (String blank : new String[]{"%20%20", "%E3%80%80", PriceSet.STREAM}) {
            assertThat(api().post("/admin/audits?user=" + blank, "ops", "admin").error()).as(blank)
                    .isEqualTo("400 invalid_user");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_run", Integer.class)).isEqualTo(before);
    }

    @Test
    void aCorruptedProjectionRowIsReportedWithTheRowsPosition() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-05-01T00:00:00Z")).write(ledger());
        awaitProjections();
        assertThat(auditOf(history.userB).get("clean").asBoolean()).isTrue();

        jdbc.update("update statement_line set amount = -204 where user_id = ? and seq = 5", history.userB);
        jdbc.update("update game_session set charged_amount = 499 where user_id = ?", history.userB);
        try {
            JsonNode report = auditOf(history.userB);
            assertThat(report.get("clean").asBoolean()).isFalse();
            assertThat(findings(report)).containsExactlyInAnyOrder(
                    "projection_mismatch statement #5 PlaytimeCharged",
                    "projection_mismatch sessions #10 SessionEnded");
            assertThat(report.get("findings").get(0).get("message").asText() + report.get("findings").get(1)
                    .get("message").asText()).contains("amount=-204").contains("chargedAmount 499 (events: 500)");

            JsonNode all = audit("");
            assertThat(all.get("findingCount").asLong()).isEqualTo(2);
        } finally {
            jdbc.update("update statement_line set amount = -205 where user_id = ? and seq = 5", history.userB);
            jdbc.update("update game_session set charged_amount = 500 where user_id = ?", history.userB);
        }
        assertThat(auditOf(history.userB).get("clean").asBoolean()).isTrue();
    }

    @Test
    void anEventDeletedFromTheStoreIsNamed() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-06-01T00:00:00Z")).write(ledger());
        awaitProjections();
        String deletedId = jdbcLedgerEventId(history.userA, 7);

        Runnable restore = ledger().deleteStored(history.userA, 7);
        try {
            JsonNode report = auditOf(history.userA);
            assertThat(findings(report)).contains("missing_from_store null #7 PlaytimeCharged",
                    "sequence_gap null #8 SessionRenewed");
            JsonNode missing = find(report, "missing_from_store");
            assertThat(missing.get("eventId").asText()).isEqualTo(deletedId);
            assertThat(missing.get("category").asText()).isEqualTo("invariant");
            assertThat(missing.get("message").asText()).contains("on the topic but not in the event store");

            JsonNode all = audit("");
            assertThat(findings(all)).contains("missing_from_store null #7 PlaytimeCharged");
        } finally {
            restore.run();
        }
        assertThat(auditOf(history.userA).get("clean").asBoolean()).isTrue();
    }

    /** The account row's position lies in the gap: the audit reports it instead of failing (it once did). */
    @Test
    void anAccountRowAppliedUpToAnEventTheStoreLacksIsAFinding() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-07-01T00:00:00Z")).write(ledger());
        awaitProjections();
        long applied = jdbc.queryForObject("select last_sequence from account where user_id = ?", Long.class,
                history.userA);

        Runnable restore = ledger().deleteStored(history.userA, 7);
        jdbc.update("update account set last_sequence = 7 where user_id = ?", history.userA);
        try {
            JsonNode report = auditOf(history.userA);
            assertThat(report.get("clean").asBoolean()).isFalse();
            assertThat(findings(report)).contains("missing_from_store null #7 PlaytimeCharged");
            assertThat(report.get("findings")).filteredOn(finding -> finding.get("kind").asText()
                            .equals("projection_mismatch") && finding.get("projection").asText().equals("accounts"))
                    .singleElement().satisfies(finding -> assertThat(finding.get("message").asText())
                            .contains("applied up to #7, an event the store does not have"));
        } finally {
            jdbc.update("update account set last_sequence = ? where user_id = ?", applied, history.userA);
            restore.run();
        }
        assertThat(auditOf(history.userA).get("clean").asBoolean()).isTrue();
    }

    /**
     * The live processor commits a user's rows of every table together. An audit that read them table by table saw
     * the account row from before such a commit and the playtime per queue from after it, and reported a difference
     * that never was: on a busy ledger, nearly every audit.
     */
    @Test
    void rowsCommittedWhileAnAuditReadsThemAreNoFinding() throws Exception {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2033-08-01T00:00:00Z")).write(ledger());
        awaitProjections();
        try (ChargeCommittedMidRead charge = new ChargeCommittedMidRead(jdbc, dataSource, history.userA)) {
            JsonNode audited = charge.during("account_queue", "select * from account_queue%", () -> {
                try {
                    return auditOf(history.userA);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(2, TimeUnit.MINUTES);

            assertThat(findings(audited)).isEmpty();
            assertThat(audited.get("clean").asBoolean()).isTrue();
        }
    }

    /**
     * Another instance's audit, as this one sees it: a running row, and the audit lock held on a connection that is
     * not this instance's. It is reported, never started twice, and never marked failed while its lock is held;
     * once the lock is gone (the other instance died), it is marked failed and audits run here again.
     */
    @Test
    void anAuditRunningOnAnotherInstanceIsReportedAndLeftAlone() throws Exception {
        String theirs = "other-instance-" + UUID.randomUUID();
        try (Connection otherInstance = dataSource.getConnection()) {
            otherInstance.setAutoCommit(false);
            try (var lock = otherInstance.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, 0x504C_4159_4155_4454L);
                var taken = lock.executeQuery();
                assertThat(taken.next() && taken.getBoolean(1)).as("no audit holds the lock now").isTrue();
            }
            jdbc.update("insert into audit_run (id, status, started_at) values (?, 'running', now())", theirs);

            Api.Response refused = api().post("/admin/audits", "ops", "admin");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").get("code").asText()).isEqualTo("audit_in_progress");
            assertThat(refused.json().get("error").get("message").asText()).contains("/admin/audits/" + theirs);

            audits.failInterrupted();
            assertThat(api().get("/admin/audits/" + theirs, "ops", "admin").json().get("status").asText())
                    .as("an audit whose instance holds the lock is running, not interrupted").isEqualTo("running");

            otherInstance.rollback();
        }
        audits.failInterrupted();
        JsonNode orphan = api().get("/admin/audits/" + theirs, "ops", "admin").json();
        assertThat(orphan.get("status").asText()).isEqualTo("failed");
        assertThat(orphan.get("error").asText()).startsWith("Interrupted");
        assertThat(audit("").get("clean").asBoolean()).as("audits run here again").isTrue();
    }

    /**
     * Every instance's look for interrupted audits holds the lock a moment; a start then is not refused. The start is
     * seen to meet the lock: it looks for a running audit only once it failed to take the lock, and that look waits
     * (the holder has audit_run locked too) until the holder lets go.
     */
    @Test
    void aStartThatMeetsTheLockHeldAMomentWithoutAnAuditIsNotRefused() throws Exception {
        CompletableFuture<JsonNode> audited;
        try (Connection lookingForOrphans = dataSource.getConnection()) {
            lookingForOrphans.setAutoCommit(false);
            try (var lock = lookingForOrphans.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, 0x504C_4159_4155_4454L);
                var taken = lock.executeQuery();
                assertThat(taken.next() && taken.getBoolean(1)).isTrue();
            }
            int holder;
            try (var statement = lookingForOrphans.createStatement()) {
                statement.execute("lock table audit_run in access exclusive mode");
                var pid = statement.executeQuery("select pg_backend_pid()");
                assertThat(pid.next()).isTrue();
                holder = pid.getInt(1);
            }

            audited = CompletableFuture.supplyAsync(() -> {
                try {
                    return audit("");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the start failed to take the held lock and looks for a running audit")
                    .atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .failFast("the start was answered without meeting the held lock", audited::isDone)
                    .until(() -> jdbc.queryForObject("select count(*) from pg_stat_activity where pid <> ?"
                            + " and wait_event_type = 'Lock' and query like 'select id from audit_run%'",
                            Integer.class, holder) > 0);

            lookingForOrphans.rollback();
        }
        assertThat(audited.get(2, TimeUnit.MINUTES).get("clean").asBoolean()).as("started (202) and run").isTrue();
    }

    /**
     * A ledger upgraded before this query-service stores an event of a type it does not know, as a user's latest.
     * The read models skip it, so their rows stay at the event before; the audit counted it and reported every
     * projection of the user behind, though they were caught up.
     */
    @Test
    void anEventOfATypeThisBuildDoesNotKnowAsAUsersLatestIsNoFinding() throws Exception {
        String user = "future-" + UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.parse("2033-09-01T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t),
                new FundsDeposited(user, "d1", Money.of(100), Money.of(100), t + 1, null), new FutureFact(user, t + 2));
        awaitProjections();

        JsonNode report = auditOf(user);

        assertThat(findings(report)).noneMatch(finding -> finding.startsWith("projection_behind"));
        assertThat(jdbc.queryForObject("select balance from account where user_id = ?", Long.class, user))
                .isEqualTo(100);
    }

    /**
     * The price list's stream with an event of a type this build does not know: the audit took it for an account
     * (any event not a price change made one), with a projection behind and one account too many.
     */
    @Test
    void anEventOfATypeThisBuildDoesNotKnowInThePriceListMakesNoAccount() throws Exception {
        ledger().inPriceList(new FutureFact(PriceSet.STREAM, Instant.parse("2033-09-02T00:00:00Z").toEpochMilli()));
        awaitProjections();

        JsonNode report = audit("");

        assertThat(report.get("findings")).as(report.toString())
                .noneMatch(finding -> PriceSet.STREAM.equals(finding.path("user").asText()));
        assertThat(findings(report)).noneMatch(finding -> finding.startsWith("projection_mismatch")
                && finding.contains("accounts"));
    }

    /**
     * Two deposits the gateways received in one order and the ledger decided in the other (a request that waited in
     * its partition, two gateway instances). As of an instant between their receive times the account holds the one
     * received by then, as the liability and the statement count it. The audit stopped at the first event timed after
     * the instant, gave 0, and reported the statement's figure as a mismatch.
     */
    @Test
    void eventsDecidedInAnotherOrderThanTheyHappenedAreAuditedAsOfAnInstantBetweenThem() throws Exception {
        String user = "late-" + UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.parse("2033-10-01T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t),
                new FundsDeposited(user, "d1", Money.of(1000), Money.of(1000), t + 10_000, null),
                new FundsDeposited(user, "d2", Money.of(200), Money.of(1200), t + 5_000, null));
        awaitProjections();

        JsonNode between = audit("?user=" + user + "&asOf=" + Instant.ofEpochMilli(t + 7_000));
        JsonNode after = audit("?user=" + user + "&asOf=" + Instant.ofEpochMilli(t + 10_000));

        assertThat(between.get("findings").toString()).as(between.toString()).isEqualTo("[]");
        assertThat(between.get("balance").asLong()).isEqualTo(200);
        assertThat(between.get("notes").toString()).as("the statement was compared").isEqualTo("[]");
        assertThat(after.get("findings").toString()).as(after.toString()).isEqualTo("[]");
        assertThat(after.get("balance").asLong()).isEqualTo(1200);
    }

    /**
     * The publisher's lag, or a publisher stuck on an account: its latest events are stored and not on the topic.
     * Younger than the publishing grace they are a note, older a finding naming each; the account's earlier events,
     * published, are no finding. (They are checked by their fingerprint, and only the stored tail is read again.)
     */
    @Test
    void storedEventsNotYetPublishedAreANoteAndOldOnesAFindingNamingEach() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String lagging = "lagging-" + id;
        String stuck = "stuck-" + id;
        String fresh = "fresh-" + id;
        long t = Instant.parse("2033-11-01T00:00:00Z").toEpochMilli();
        List<Runnable> undo = new ArrayList<>();
        try {
            undo.add(ledger().account(lagging).add(new AccountOpened(lagging, t),
                            new FundsDeposited(lagging, "d1", Money.of(100), Money.of(100), t + 1, null))
                    .addStoredOnly(Instant.now(),
                            new FundsDeposited(lagging, "d2", Money.of(50), Money.of(150), t + 2, null)));
            undo.add(ledger().account(stuck).add(new AccountOpened(stuck, t))
                    .addStoredOnly(Instant.now().minus(Duration.ofMinutes(10)),
                            new FundsDeposited(stuck, "d1", Money.of(100), Money.of(100), t + 1, null),
                            new FundsDeposited(stuck, "d2", Money.of(50), Money.of(150), t + 2, null)));
            undo.add(ledger().account(fresh).addStoredOnly(Instant.now(), new AccountOpened(fresh, t)));
            awaitProjections();

            JsonNode lag = auditOf(lagging);
            JsonNode old = auditOf(stuck);
            JsonNode none = auditOf(fresh);

            assertThat(lag.get("findings").toString()).as(lag.toString()).isEqualTo("[]");
            assertThat(lag.get("notes").toString()).contains("1 stored events younger than the publishing grace");
            assertThat(findings(old)).as(old.toString()).containsExactly(
                    "missing_from_topic null #1 FundsDeposited", "missing_from_topic null #2 FundsDeposited");
            assertThat(none.get("findings").toString()).as(none.toString()).isEqualTo("[]");
            assertThat(none.get("notes").toString()).contains("1 stored events younger than the publishing grace");
        } finally {
            undo.forEach(Runnable::run);
        }
    }

    /** An event type a newer ledger might add (public: the projections read a record's text through its accessors). */
    public record FutureFact(String userId, long receivedAtMillis) {
    }

    private String jdbcLedgerEventId(String user, long sequence) {
        return ledgerJdbc().queryForObject("select event_identifier from domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = ?", String.class, user, sequence);
    }

    private JsonNode auditOf(String user) throws InterruptedException {
        return audit("?user=" + user);
    }

    private static List<String> findings(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.get("findings").forEach(f -> found.add(f.get("kind").asText() + " " + f.get("projection").asText()
                + " #" + f.get("sequence").asText() + " " + f.get("eventType").asText()));
        return found;
    }

    private static JsonNode find(JsonNode report, String kind) {
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("kind").asText().equals(kind)) {
                return finding;
            }
        }
        throw new AssertionError("No " + kind + " in " + report);
    }
}
