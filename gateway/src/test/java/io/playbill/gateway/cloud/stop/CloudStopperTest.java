package io.playbill.gateway.cloud.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.RepeatingTask;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * SessionEnded events on the real ledger-events topic, as the Axon Kafka extension writes them (Jackson JSON value,
 * {@code axon-message-type} header), make the gateway stop the cloud game bound to the ended session, whatever the
 * reason, and record what it did; a stop GS keeps refusing is retried, parked and retried by an operator.
 */
class CloudStopperTest extends CloudGatewayTest {

    /** {@code playbill.cloud.stopper.max-attempts} of {@link CloudGatewayTest}. */
    private static final int MAX_ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> ledger;

    @Autowired
    private StopperAssignment assignment;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private TencentGs gs;
    @Autowired
    private CloudSessions sessions;
    @Autowired
    private StopRecords records;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    @Qualifier("cloudStopRetries")
    private RepeatingTask retries;

    @BeforeAll
    static void connectLedger() {
        ledger = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                PlaybillTestInfrastructure.shared().kafkaBootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void disconnectLedger() {
        ledger.close(Duration.ofSeconds(5));
    }

    @BeforeEach
    void stopperListens() throws InterruptedException {
        assertThat(assignment.awaitFirstAssignment(Duration.ofSeconds(30))).as("stopper partitions").isTrue();
    }

    @ParameterizedTest
    @EnumSource(SessionEndReason.class)
    void everyEndOfTheGamesSessionStopsItWithinFiveSecondsAndIsRecorded(SessionEndReason reason) throws Exception {
        String user = "alice-" + reason.name().toLowerCase();
        assertThat(start(UserTokens.of(user), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession(user);
        Instant endedAt = Instant.now();

        publish(ended(user, session, reason, endedAt));

        await().atMost(Duration.ofSeconds(5)).until(() -> TestGs.codes("StopGame", user).contains("OK"));
        assertThat(playing()).isEmpty();
        await().atMost(Duration.ofSeconds(2)).until(() -> "stopped".equals(result(user, session)));
        assertThat(stops(user)).singleElement().satisfies(row -> {
            assertThat(row.get("reason")).isEqualTo(reason.name().toLowerCase());
            assertThat(((Timestamp) row.get("ledger_event_at")).toInstant().toEpochMilli())
                    .isEqualTo(endedAt.toEpochMilli());
            assertThat(row.get("stopped_at")).isNotNull();
            assertThat(row.get("gs_request_id")).isNotNull();
        });
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_session WHERE user_id = ?", user)).isEmpty();
    }

    /** A record is kept for every session end; finished ones go after the retention, unfinished ones never. */
    @Test
    void finishedStopsAreForgottenAfterTheRetentionAndUnfinishedOnesKept() {
        Instant now = Instant.now();
        Timestamp old = Timestamp.from(now.minus(Duration.ofDays(40)));
        Timestamp recent = Timestamp.from(now.minus(Duration.ofDays(1)));
        for (Object[] row : List.of(new Object[] {"old-stopped", "stopped", old}, new Object[] {"old-no-game", "no_game",
                old}, new Object[] {"old-parked", "parked", old}, new Object[] {"old-pending", "pending", old},
                new Object[] {"recent", "stopped", recent})) {
            jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, stopped_at, result,"
                    + " next_attempt_at) VALUES ('kept', ?, 'stopped', ?, ?, ?, ?)", row[0], row[2], row[2], row[1],
                    Timestamp.from(now.plus(Duration.ofDays(1))));
        }

        assertThat(records.forgetFinishedBefore(now.minus(Duration.ofDays(30)), 1_000)).isEqualTo(2);

        assertThat(jdbc.queryForList("SELECT session FROM cloud_stop WHERE user_id = 'kept' ORDER BY session",
                String.class)).containsExactly("old-parked", "old-pending", "recent");
    }

    /**
     * A player's stop hands its game to the stopper ahead, due after a grace. Should the ledger end the session
     * meanwhile (the stop stuck at GS, or its instance gone), the game is stopped at once, not after that grace, and
     * the record tells the ledger's reason.
     */
    @Test
    void theLedgersEndOfASessionWhosePlayersStopIsUnderWayStopsTheGameAtOnce() throws Exception {
        assertThat(start(UserTokens.of("dave"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("dave");
        records.stopAfter("dave", session, Instant.now(), Instant.now().plus(Duration.ofHours(1)));
        assertThat(records.ended("dave", session)).as("a stop under way is not an end: it may fail").isFalse();

        assertTheLedgersEndStopsTheGameAndIsRecorded("dave", session, SessionEndReason.BALANCE_EXHAUSTED);
    }

    /**
     * A player's stop whose StopSession was lost ended nothing in the ledger: its record finished (no game left to
     * stop), and the player started the same session again. The ledger's later end of that session (it timed out)
     * found the player's finished record, took itself for a redelivery, and the game ran on unpaid.
     */
    @Test
    void theLedgersEndAfterAPlayersFinishedStopStopsTheGameOfTheSameSessionStartedAgain() throws Exception {
        assertThat(start(UserTokens.of("erin"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("erin");
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result, attempts, stopped_at)"
                + " VALUES ('erin', ?, 'player_stop', now() - interval '2 minutes', 'no_game', 1,"
                + " now() - interval '1 minute')", session);

        assertTheLedgersEndStopsTheGameAndIsRecorded("erin", session, SessionEndReason.TIMED_OUT);
    }

    /** The ledger ends the user's session: its game stops at once, and the record tells the ledger's reason. */
    private void assertTheLedgersEndStopsTheGameAndIsRecorded(String user, String session, SessionEndReason reason)
            throws Exception {
        publish(ended(user, session, reason, Instant.now()));

        await().atMost(Duration.ofSeconds(5)).until(() -> playing().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> "stopped".equals(result(user, session)));
        assertThat(jdbc.queryForObject("SELECT reason FROM cloud_stop WHERE user_id = ?", String.class, user))
                .isEqualTo(reason.name().toLowerCase(Locale.ROOT));
        assertThat(records.ended(user, session)).isTrue();
    }

    @Test
    void theEndOfAnotherSessionLeavesTheGameItDoesNotPayFor() throws Exception {
        assertThat(start(UserTokens.of("bob"), "g1", "cs").status()).isEqualTo(200);

        publish(ended("bob", "someOtherSession", SessionEndReason.BALANCE_EXHAUSTED, Instant.now()));

        await().atMost(Duration.ofSeconds(5)).until(() -> "no_game".equals(result("bob", "someOtherSession")));
        assertThat(TestGs.calls("StopGame", "bob")).isEmpty();
        assertThat(playing()).containsExactly("bob");
    }

    @Test
    void otherEventsUnknownReasonsAndRedeliveriesAreHandledOnce() throws Exception {
        assertThat(start(UserTokens.of("carol"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("carol");
        Instant now = Instant.now();
        // One key, one partition: the stopper sees these in this order.
        publishRaw("carol", "io.playbill.ledger.api.events.SessionRenewed", "{\"userId\":\"carol\"}");
        publishRaw("carol", SessionEnded.class.getName(), "not json");
        publish(ended("carol", session, SessionEndReason.STOPPED, now));
        publish(ended("carol", session, SessionEndReason.STOPPED, now));
        publishRaw("carol", SessionEnded.class.getName(), "{\"userId\":\"carol\",\"session\":\"sNew\","
                + "\"reason\":\"a_reason_added_later\",\"endedAtMillis\":" + now.toEpochMilli() + "}");

        // A stop is recorded pending before its outcome: wait for both outcomes, not only for both rows.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stops("carol"))
                .extracting(row -> row.get("session"), row -> row.get("reason"), row -> row.get("result"))
                .containsExactly(tuple(session, "stopped", "stopped"), tuple("sNew", "unknown", "no_game")));
        assertThat(TestGs.codes("StopGame", "carol")).containsExactly("OK");
        assertThat(jdbc.queryForList("SELECT payload FROM cloud_stopper_parked WHERE record_key = 'carol'",
                byte[].class)).as("the unreadable one is parked, not dropped").singleElement()
                .satisfies(payload -> assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("not json"));
    }

    @Test
    void recordsWithoutATypeValueOrWithoutAValueNeitherStopNorStallThePartition() throws Exception {
        assertThat(start(UserTokens.of("dave"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("dave");
        // One key, one partition: the end below waits behind both records unless they are dealt with.
        ProducerRecord<String, byte[]> noTypeValue = new ProducerRecord<>(LedgerTopics.EVENTS, "dave",
                "{}".getBytes(StandardCharsets.UTF_8));
        noTypeValue.headers().add("axon-message-type", null);
        ledger.send(noTypeValue).get();
        ProducerRecord<String, byte[]> noValue = new ProducerRecord<>(LedgerTopics.EVENTS, "dave", null);
        noValue.headers().add("axon-message-type", SessionEnded.class.getName().getBytes(StandardCharsets.UTF_8));
        ledger.send(noValue).get();
        publish(ended("dave", session, SessionEndReason.BALANCE_EXHAUSTED, Instant.now()));

        await().atMost(Duration.ofSeconds(10)).until(() -> playing().isEmpty());
        assertThat(TestGs.codes("StopGame", "dave")).containsExactly("OK");
        assertThat(jdbc.queryForList("SELECT event_type, payload FROM cloud_stopper_parked WHERE record_key = 'dave'"))
                .as("the SessionEnded without a value is parked; the record of no type is no SessionEnded")
                .singleElement().satisfies(row -> {
                    assertThat(row.get("event_type")).isEqualTo(SessionEnded.class.getName());
                    assertThat(row.get("payload")).isNull();
                });
    }

    @Test
    void aSessionEndedWhoseValueIsTheJsonNullIsParkedAtOnceAsUnreadable() throws Exception {
        String admin = UserTokens.of("ops", "admin");
        publishRaw("gina", SessionEnded.class.getName(), "null");

        await().atMost(Duration.ofSeconds(5)).until(() -> parked("gina") == 1);
        JsonNode item = null;
        for (JsonNode candidate : http.get("/api/admin/cloud/stopper/parked", admin).json().get("items")) {
            item = "gina".equals(candidate.get("key").asText()) ? candidate : item;
        }
        assertThat(item).isNotNull();
        assertThat(item.get("attempts").asInt()).as("unreadable: parked at once, not after failing three times")
                .isEqualTo(1);
        assertThat(item.get("error").asText()).contains("Unreadable SessionEnded");
        assertThat(http.post("/api/admin/cloud/stopper/parked/" + item.get("id").asLong() + "/skip", admin).status())
                .isEqualTo(200);
    }

    @Test
    void anUnreadableSessionEndedIsParkedShownAndAnOperatorSkipsIt() throws Exception {
        String admin = UserTokens.of("ops", "admin");
        publishRaw("erin", SessionEnded.class.getName(), "{\"userId\":");

        await().atMost(Duration.ofSeconds(5)).until(() -> parked("erin") == 1);
        HttpResult health = http.get("/actuator/health", null);
        assertThat(health.status()).as("parked items keep the instance in service").isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(meters.get("playbill.cloud.stopper.parked").gauge().value())
                .isEqualTo(1.0);
        HttpResult list = http.get("/api/admin/cloud/stopper/parked", admin);
        assertThat(list.status()).isEqualTo(200);
        JsonNode item = list.json().get("items").get(0);
        assertThat(item.get("key").asText()).isEqualTo("erin");
        assertThat(item.get("attempts").asInt()).as("unreadable: parked at once").isEqualTo(1);
        assertThat(item.get("error").asText()).contains("Unreadable SessionEnded");
        long id = item.get("id").asLong();
        for (String outsider : List.of(UserTokens.of("erin"), UserTokens.of("fiona", "finance"))) {
            assertThat(http.get("/api/admin/cloud/stopper/parked", outsider).errorCode()).isEqualTo("forbidden");
            assertThat(http.post("/api/admin/cloud/stopper/parked/" + id + "/retry", outsider).errorCode())
                    .isEqualTo("forbidden");
            assertThat(http.post("/api/admin/cloud/stopper/parked/" + id + "/skip", outsider).errorCode())
                    .isEqualTo("forbidden");
        }
        assertThat(parked("erin")).as("nothing an outsider asked was done").isEqualTo(1);

        HttpResult retried = http.post("/api/admin/cloud/stopper/parked/" + id + "/retry", admin);
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.errorCode()).isEqualTo("still_failing");
        assertThat(jdbc.queryForObject("SELECT attempts FROM cloud_stopper_parked WHERE id = ?", Integer.class, id))
                .as("the failed retry is counted, the record stays parked").isEqualTo(2);
        assertThat(http.post("/api/admin/cloud/stopper/parked/" + id + "/skip", admin).status()).isEqualTo(200);
        assertThat(parked("erin")).isZero();
        HttpResult gone = http.post("/api/admin/cloud/stopper/parked/" + id + "/skip", admin);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("not_parked");
        assertThat(http.post("/api/admin/cloud/stopper/parked/" + id + "/retry", admin).errorCode())
                .isEqualTo("not_parked");
        assertThat(http.post("/api/admin/cloud/stopper/parked/not-a-number/retry", admin).status()).isEqualTo(400);
        assertThat(http.get("/api/admin/cloud/stopper/parked?size=0", admin).errorCode()).isEqualTo("invalid_size");
        assertThat(http.get("/api/admin/cloud/stopper/parked?page=2147483647", admin).status()).isEqualTo(400);
        assertThat(http.get("/actuator/health", null).json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void anEndThatCannotBeRecordedIsParkedAfterItsAttemptsWhileOthersAreStoppedThenRetried() throws Exception {
        String admin = UserTokens.of("ops", "admin");
        assertThat(start(UserTokens.of("frank"), "g1", "cs").status()).isEqualTo(200);
        String franks = boundSession("frank");
        String graces = "gracesSession";
        jdbc.execute("CREATE FUNCTION refuse_frank() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF new.user_id = 'frank' THEN RAISE check_violation USING MESSAGE = 'poison refused'; END IF;"
                + " RETURN new; END $$");
        jdbc.execute("CREATE TRIGGER refuse_frank BEFORE INSERT ON cloud_stop FOR EACH ROW"
                + " EXECUTE FUNCTION refuse_frank()");
        try {
            publish(ended("frank", franks, SessionEndReason.TIMED_OUT, Instant.now()));
            publish(ended("grace", graces, SessionEndReason.TIMED_OUT, Instant.now()));

            await().atMost(Duration.ofSeconds(10)).until(() -> "no_game".equals(result("grace", graces)));
            await().atMost(Duration.ofSeconds(10)).until(() -> parked("frank") == 1);
            assertThat(jdbc.queryForObject("SELECT attempts FROM cloud_stopper_parked WHERE record_key = 'frank'",
                    Integer.class)).isEqualTo(3);
            assertThat(playing()).containsExactly("frank");
        } finally {
            jdbc.execute("DROP TRIGGER IF EXISTS refuse_frank ON cloud_stop");
            jdbc.execute("DROP FUNCTION IF EXISTS refuse_frank()");
        }
        long id = jdbc.queryForObject("SELECT id FROM cloud_stopper_parked WHERE record_key = 'frank'", Long.class);
        HttpResult retried = http.post("/api/admin/cloud/stopper/parked/" + id + "/retry", admin);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "stopped".equals(result("frank", franks)));
        assertThat(playing()).isEmpty();
        assertThat(parked("frank")).isZero();
    }

    @Test
    void theDatabaseGoingAwayParksNothingAndTheEndIsRecordedOnceItIsBack() throws Exception {
        assertThat(start(UserTokens.of("hank"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("hank");
        // Each attempt is counted (a sequence outlives the connection the trigger ends), so the absence of a parked
        // record is checked after more attempts than a record's own failure would take to be parked.
        jdbc.execute("CREATE SEQUENCE outage_hank_attempts");
        jdbc.execute("CREATE FUNCTION outage_hank() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF new.user_id = 'hank' THEN PERFORM nextval('outage_hank_attempts');"
                + " PERFORM pg_terminate_backend(pg_backend_pid()); END IF;"
                + " RETURN new; END $$");
        jdbc.execute("CREATE TRIGGER outage_hank BEFORE INSERT ON cloud_stop FOR EACH ROW"
                + " EXECUTE FUNCTION outage_hank()");
        try {
            publish(ended("hank", session, SessionEndReason.STOPPED, Instant.now()));
            await("more attempts than playbill.cloud.stopper.max-attempts").atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.queryForObject("SELECT last_value FROM outage_hank_attempts", Long.class)
                            > MAX_ATTEMPTS + 1);
            assertThat(parked("hank")).isZero();
            assertThat(result("hank", session)).isNull();
        } finally {
            jdbc.execute("DROP TRIGGER IF EXISTS outage_hank ON cloud_stop");
            jdbc.execute("DROP FUNCTION IF EXISTS outage_hank()");
            jdbc.execute("DROP SEQUENCE IF EXISTS outage_hank_attempts");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "stopped".equals(result("hank", session)));
        assertThat(parked("hank")).isZero();
    }

    private int parked(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM cloud_stopper_parked WHERE record_key = ?", Integer.class,
                key);
    }

    @Test
    void aStopGsKeepsRefusingIsRetriedThenParkedAndAnOperatorRetriesIt() throws Exception {
        assertThat(start(UserTokens.of("dave"), "g1", "cs").status()).isEqualTo(200);
        String session = boundSession("dave");
        TestGs.emulator().failNext("StopGame", "FailedOperation", 3);

        publish(ended("dave", session, SessionEndReason.BALANCE_EXHAUSTED, Instant.now()));

        await().atMost(Duration.ofSeconds(10)).until(() -> "parked".equals(result("dave", session)));
        assertThat(TestGs.codes("StopGame", "dave")).containsExactly("FailedOperation", "FailedOperation",
                "FailedOperation");
        assertThat(playing()).as("still running: it is parked, not forgotten").containsExactly("dave");
        assertThat(meters.get("playbill.cloud.stops.parked").gauge().value()).isEqualTo(1.0);
        String admin = UserTokens.of("ops", "admin");
        HttpResult parked = http.get("/api/admin/cloud/stops?result=parked", admin);
        assertThat(parked.status()).isEqualTo(200);
        assertThat(parked.json().get("total").asLong()).isEqualTo(1);
        JsonNode stop = parked.json().get("items").get(0);
        assertThat(stop.get("session").asText()).isEqualTo(session);
        assertThat(stop.get("lastError").asText()).isEqualTo("StopGame: FailedOperation");
        assertThat(http.get("/api/admin/cloud/stops?result=parked", UserTokens.of("fiona", "finance")).status())
                .isEqualTo(403);

        HttpResult retried = http.post("/api/admin/cloud/stops/" + stop.get("id").asLong() + "/retry", admin);

        assertThat(retried.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "stopped".equals(result("dave", session)));
        assertThat(playing()).isEmpty();
        assertThat(meters.get("playbill.cloud.stops.parked").gauge().value()).isZero();
        assertThat(http.post("/api/admin/cloud/stops/" + stop.get("id").asLong() + "/retry", admin).status())
                .as("only a parked stop can be retried").isEqualTo(404);
    }

    @Test
    void theListOfStopsRefusesAPageOutsideItsRules() {
        String admin = UserTokens.of("ops", "admin");

        // A 500 before: the class-level @Validated threw ConstraintViolationException.
        HttpResult empty = http.get("/api/admin/cloud/stops?size=0", admin);
        HttpResult negative = http.get("/api/admin/cloud/stops?page=-1", admin);

        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        assertThat(empty.errorCode()).isEqualTo("invalid_size");
        assertThat(negative.status()).as(negative.toString()).isEqualTo(400);
        assertThat(negative.errorCode()).isEqualTo("invalid_page");
        // Not a number at all: the same code (bad_request before), on both admin lists.
        for (String path : List.of("/api/admin/cloud/stops?page=x", "/api/admin/cloud/stopper/parked?page=x",
                "/api/admin/cloud/stops?size=99999999999")) {
            HttpResult notANumber = http.get(path, admin);
            assertThat(notANumber.status()).as(path + " " + notANumber).isEqualTo(400);
            assertThat(notANumber.errorCode()).as(path).isEqualTo(path.contains("size") ? "invalid_size" : "invalid_page");
        }
    }

    @Test
    void aPageBeyondTheLastIsEmptyWhateverItsNumber() {
        // Found by the hostile sweep: page × size overflowed an int, PostgreSQL refused the negative offset (a 500).
        HttpResult far = http.get("/api/admin/cloud/stops?page=2147483647&size=500", UserTokens.of("ops", "admin"));

        assertThat(far.status()).as(far.toString()).isEqualTo(200);
        assertThat(far.json().path("items").size()).isZero();
    }

    @Test
    void aStopGsHoldsUpHoldsUpNoOtherEndsStop() throws Exception {
        assertThat(start(UserTokens.of("dave"), "g1", "cs").status()).isEqualTo(200);
        assertThat(start(UserTokens.of("erin"), "g2", "cs").status()).isEqualTo(200);
        CountDownLatch davesStopHeld = new CountDownLatch(1);
        AtomicBoolean erinStoppedMeanwhile = new AtomicBoolean();
        TestGs.emulator().afterNext("StopGame", "dave", () -> {
            davesStopHeld.countDown();
            erinStoppedMeanwhile.set(within(Duration.ofSeconds(10),
                    () -> TestGs.codes("StopGame", "erin").contains("OK")));
        });

        publish(ended("dave", boundSession("dave"), SessionEndReason.TIMED_OUT, Instant.now()));
        assertThat(davesStopHeld.await(10, TimeUnit.SECONDS)).as("GS holds dave's stop").isTrue();
        publish(ended("erin", boundSession("erin"), SessionEndReason.TIMED_OUT, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> TestGs.codes("StopGame", "dave").contains("OK"));
        assertThat(erinStoppedMeanwhile.get()).as("erin's game stopped while GS held dave's stop (before: her end"
                + " waited behind his)").isTrue();
        assertThat(playing()).isEmpty();
    }

    @Test
    void aRoundAfterShutdownLeavesItsStopsPendingInsteadOfWaitingForThem() {
        SessionEndStopper closed = new SessionEndStopper(gs, sessions, records, new TransactionTemplate(transactions),
                Clock.systemUTC(), 3, Duration.ofMillis(100), Duration.ofMillis(200), 1, meters);
        closed.close();
        retries.stop(); // the running gateway's own rounds would take the stop first
        try {
            jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result, next_attempt_at)"
                    + " VALUES ('frank', 'fs', 'stopped', now(), 'pending', now() - interval '1 second')");

            assertTimeoutPreemptively(Duration.ofSeconds(10), closed::retryDue,
                    "before: the round waited for ever for an attempt the shut-down executor dropped");

            assertThat(stops("frank")).singleElement().satisfies(row -> {
                assertThat(row.get("result")).isEqualTo("pending");
                assertThat(row.get("attempts")).as("claimed by the round, not attempted").isEqualTo(0);
            });
        } finally {
            retries.start();
        }
    }

    /** Whether {@code condition} holds within {@code limit}, asked every 10 ms. */
    private static boolean within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return condition.getAsBoolean();
    }

    private String boundSession(String userId) {
        return jdbc.queryForObject("SELECT session FROM cloud_session WHERE user_id = ?", String.class, userId);
    }

    private String result(String userId, String session) {
        return jdbc.queryForList("SELECT result FROM cloud_stop WHERE user_id = ? AND session = ?", String.class,
                userId, session).stream().findFirst().orElse(null);
    }

    private List<Map<String, Object>> stops(String userId) {
        return jdbc.queryForList("SELECT * FROM cloud_stop WHERE user_id = ? ORDER BY id", userId);
    }

    private static SessionEnded ended(String userId, String session, SessionEndReason reason, Instant at) {
        return new SessionEnded(userId, session, "standard", reason, at.toEpochMilli(), Seconds.of(120), Money.of(120), Seconds.of(150), Money.of(0));
    }

    private static void publish(SessionEnded event) throws Exception {
        publishRaw(event.userId(), SessionEnded.class.getName(), JSON.writeValueAsString(event));
    }

    private static void publishRaw(String key, String type, String value) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(LedgerTopics.EVENTS, key,
                value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("axon-message-type", type.getBytes(StandardCharsets.UTF_8));
        ledger.send(record).get();
    }
}
