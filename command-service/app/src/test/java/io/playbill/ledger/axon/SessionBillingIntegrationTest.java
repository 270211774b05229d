package io.playbill.ledger.axon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.playbill.ledger.support.LedgerTestInfrastructure.lastExpiryScanAtMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions through the real broker and PostgreSQL: prices, a renew flow with its charges, the expiry table, a
 * snapshot, the expiry scanner, and an account cached here that another instance appended to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"playbill.ledger.snapshot-threshold=5", "playbill.ledger.expiry-scan-interval=200ms"})
class SessionBillingIntegrationTest extends LedgerIntegrationTest {

    private static final String EVENTS = "io.playbill.ledger.api.events.";

    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaListenerEndpointRegistry intake;
    @Autowired
    MeterRegistry meters;

    private final String queue = "queue-" + UUID.randomUUID();
    private final String user = "user-" + UUID.randomUUID();
    private final String session = "s" + UUID.randomUUID().toString().replace("-", "");
    private final long now = System.currentTimeMillis();

    @Test
    void aRenewFlowIsChargedStoredSnapshottedAndEnded() throws Exception {
        assertThat(ledger.request("ops", now - 3_600_000, new LedgerOperation.SetPrice(queue, 60)).accepted()).isTrue();
        assertThat(ledger.request(user, now - 1000, new LedgerOperation.Deposit(1000, user + "-pay-1")).balance()).isEqualTo(1000);

        LedgerReply authorized = ledger.request(user, now, new LedgerOperation.AuthorizeSession(session, queue));
        LedgerReply started = ledger.request(user, now + 1000, new LedgerOperation.StartSession(session, null));
        long t0 = now + 3000;
        LedgerReply first = ledger.request(user, t0, new LedgerOperation.RenewSession(session, 0));
        LedgerReply second = ledger.request(user, t0 + 35_000, new LedgerOperation.RenewSession(session, 60));

        assertThat(authorized).isEqualTo(LedgerReply.accepted(authorized.requestId(), 1000L, null, queue));
        assertThat(started.accepted()).isTrue();
        assertThat(first).isEqualTo(LedgerReply.accepted(first.requestId(), 1000L, 60L, queue));
        assertThat(second).as("35 s played at 1 per second; one more cycle granted")
                .isEqualTo(LedgerReply.accepted(second.requestId(), 965L, 95L, queue));
        assertThat(eventTypes(user)).containsExactly(EVENTS + "AccountOpened", EVENTS + "FundsDeposited",
                EVENTS + "SessionAuthorized", EVENTS + "SessionStarted", EVENTS + "SessionRenewed",
                EVENTS + "PlaytimeCharged", EVENTS + "SessionRenewed");
        assertThat(jdbc.queryForObject("select expires_at_millis from session_expiry where user_id = ?", Long.class,
                user)).as("t0 + deadline + 30 s").isEqualTo(t0 + 125_000);
        await("a snapshot, taken once its batch committed").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(snapshots(user)).as("more than snapshot-threshold events").isPositive());

        LedgerReply stopped = ledger.request(user, t0 + 50_000, new LedgerOperation.StopSession(session));

        assertThat(stopped.balance()).isEqualTo(950);
        assertThat(jdbc.queryForList("select session_id from session_expiry where user_id = ?", String.class, user))
                .isEmpty();
        assertThat(ledger.request(user, t0 + 51_000, new LedgerOperation.RenewSession(session, 95)).errorCode())
                .hasToString("SESSION_NOT_FOUND");
    }

    @Test
    void aSessionThatStopsRenewingIsTimedOutByTheScanner() throws Exception {
        // Started 190 s ago and never renewed: due 60 s after the start.
        startSession(now - 190_000);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(eventTypes(user)).contains(EVENTS + "SessionEnded"));
        String ended = jdbc.queryForObject("select convert_from(payload, 'UTF8') from domain_event_entry"
                + " where aggregate_identifier = ? and payload_type = ?", String.class, user, EVENTS + "SessionEnded");
        assertThat(json.readTree(ended).get("reason").asText()).isEqualTo("timed_out");
        assertThat(json.readTree(ended).get("endedAtMillis").asLong()).isEqualTo(now - 130_000);
        assertThat(jdbc.queryForList("select session_id from session_expiry where user_id = ?", String.class, user))
                .isEmpty();
    }

    @Test
    void aSessionIsNotTimedOutWhileItsRenewStillWaitsInKafka() throws Exception {
        // Started 45 s ago and not renewed yet: due in 15 s (start + 30 s free + 30 s for an answer).
        startSession(now - 45_000);
        intake.getListenerContainers().forEach(MessageListenerContainer::pause);
        await().atMost(Duration.ofSeconds(15)).until(() -> intake.getListenerContainers().stream()
                .allMatch(MessageListenerContainer::isContainerPaused));
        try {
            // The first renew reaches the gateway in time but waits in Kafka: the ledger is behind.
            String renewId = ledger.send(user, now + 1000, new LedgerOperation.RenewSession(session, 0));
            long due = jdbc.queryForObject("select expires_at_millis from session_expiry where user_id = ?",
                    Long.class, user);
            await("a scan judged past the session's expiry").atMost(Duration.ofSeconds(30))
                    .until(() -> lastExpiryScanAtMillis(meters) > due);

            assertThat(eventTypes(user)).as("not timed out while its renew waits")
                    .doesNotContain(EVENTS + "SessionEnded");
            intake.getListenerContainers().forEach(MessageListenerContainer::resume);
            LedgerReply renewed = ledger.replyTo(renewId);

            assertThat(renewed.accepted()).as(renewed.toString()).isTrue();
            assertThat(renewed.deadline()).isEqualTo(60);
        } finally {
            intake.getListenerContainers().forEach(MessageListenerContainer::resume);
        }
        assertThat(eventTypes(user)).doesNotContain(EVENTS + "SessionEnded");
    }

    @Test
    void anAccountCachedHereSeesWhatAnotherInstanceAppended() throws Exception {
        ledger.request(user, now, new LedgerOperation.Deposit(100, user + "-pay-1"));
        for (int i = 2; i <= 6; i++) {
            ledger.request(user, now + i, new LedgerOperation.Deposit(100, user + "-pay-" + i));
        }
        // Snapshots are written on a thread of their own, after the answer: wait for the one these deposits caused,
        // so that the reload below starts from it.
        await("a snapshot for the reload to start from").atMost(Duration.ofSeconds(10))
                .until(() -> snapshots(user) > 0);
        // Another instance deposits: its event lands in the store behind this instance's cache.
        long next = jdbc.queryForObject("select max(sequence_number) + 1 from domain_event_entry"
                + " where aggregate_identifier = ?", Long.class, user);
        byte[] payload = json.writeValueAsBytes(new FundsDeposited(user, user + "-elsewhere", Money.of(1000), Money.of(1600), now + 10, TestActors.ADMIN));
        jdbc.update("insert into domain_event_entry (global_index, event_identifier, meta_data, payload,"
                + " payload_type, time_stamp, aggregate_identifier, sequence_number, type)"
                + " select nextval('domain_event_entry_seq'), ?, meta_data, ?, payload_type, time_stamp,"
                + " aggregate_identifier, ?, type from domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = 1",
                UUID.randomUUID().toString(), payload, next, user);
        // ... and in the same transaction its claim of the reference, as the ledger registry's projection writes it.
        jdbc.update("insert into money_reference (reference, user_id, kind, amount, balance_after, recorded_at_millis)"
                + " values (?, ?, 'deposit', 1000, 1600, ?)", user + "-elsewhere", user, now + 10);

        LedgerReply retriedThere = ledger.request(user, now + 20, new LedgerOperation.Deposit(1000, user + "-elsewhere"));
        LedgerReply more = ledger.request(user, now + 30, new LedgerOperation.Deposit(1, user + "-pay-7"));

        assertThat(retriedThere.balance()).as("the other instance's deposit is known here").isEqualTo(1600);
        assertThat(more.balance()).isEqualTo(1601);
    }

    private int snapshots(String aggregate) {
        return jdbc.queryForObject("select count(*) from snapshot_event_entry where aggregate_identifier = ?",
                Integer.class, aggregate);
    }

    private List<String> eventTypes(String aggregate) {
        return jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", String.class, aggregate);
    }

    /** A priced queue, a funded account, and this test's session authorized and started at {@code startedAt}. */
    private void startSession(long startedAt) throws Exception {
        ledger.request("ops", now - 3_600_000, new LedgerOperation.SetPrice(queue, 60));
        ledger.request(user, now - 300_000, new LedgerOperation.Deposit(1000, user + "-pay-1"));
        ledger.request(user, startedAt - 10_000, new LedgerOperation.AuthorizeSession(session, queue));
        ledger.request(user, startedAt, new LedgerOperation.StartSession(session, null));
    }
}
