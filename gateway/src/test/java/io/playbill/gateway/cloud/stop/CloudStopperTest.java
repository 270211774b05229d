package io.playbill.gateway.cloud.stop;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SessionEnded events on the real ledger-events topic, as the Axon Kafka extension writes them (Jackson JSON value,
 * {@code axon-message-type} header), make the gateway stop the user's cloud game and record why.
 */
class CloudStopperTest extends CloudGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> ledger;

    @Autowired
    private StopperAssignment assignment;

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

    @Test
    void anExhaustedBalanceStopsTheGameWithinFiveSecondsAndIsRecorded() throws Exception {
        assertThat(start(UserTokens.of("alice"), "g1", "cs").status()).isEqualTo(200);
        Instant endedAt = Instant.now();

        publish(ended("alice", "sess1", SessionEndReason.BALANCE_EXHAUSTED, endedAt));

        await().atMost(Duration.ofSeconds(5)).until(() -> TestGs.codes("StopGame", "alice").contains("OK"));
        assertThat(playing()).isEmpty();
        await().atMost(Duration.ofSeconds(2)).until(() -> !stops("alice").isEmpty());
        assertThat(stops("alice")).singleElement().satisfies(row -> {
            assertThat(row.get("session")).isEqualTo("sess1");
            assertThat(row.get("reason")).isEqualTo("balance_exhausted");
            assertThat(((Timestamp) row.get("ledger_event_at")).toInstant().toEpochMilli())
                    .isEqualTo(endedAt.toEpochMilli());
            assertThat(row.get("stopped_at")).isNotNull();
            assertThat(row.get("result")).isEqualTo("stopped");
            assertThat(row.get("gs_request_id")).isNotNull();
        });
    }

    @Test
    void aTimedOutSessionStopsTheGameToo() throws Exception {
        assertThat(start(UserTokens.of("bob"), "g1", "cs").status()).isEqualTo(200);

        publish(ended("bob", "sess2", SessionEndReason.TIMED_OUT, Instant.now()));

        await().atMost(Duration.ofSeconds(5)).until(() -> playing().isEmpty());
        await().atMost(Duration.ofSeconds(2)).until(() -> !stops("bob").isEmpty());
        assertThat(stops("bob").get(0).get("reason")).isEqualTo("timed_out");
    }

    @Test
    void stopsByTheUserOtherEventsUnknownReasonsAndRedeliveriesAreNotActedOn() throws Exception {
        assertThat(start(UserTokens.of("carol"), "g1", "cs").status()).isEqualTo(200);
        Instant now = Instant.now();
        // One key, one partition: the stopper sees these in this order.
        publish(ended("carol", "s-stopped", SessionEndReason.STOPPED, now));
        publishRaw("carol", "io.playbill.ledger.api.events.SessionRenewed", "{\"userId\":\"carol\"}");
        publishRaw("carol", SessionEnded.class.getName(), "not json");
        publishRaw("carol", SessionEnded.class.getName(), "{\"userId\":\"carol\",\"session\":\"s-new\","
                + "\"reason\":\"a_reason_added_later\",\"endedAtMillis\":" + now.toEpochMilli() + "}");
        publish(ended("carol", "s-empty", SessionEndReason.BALANCE_EXHAUSTED, now));
        publish(ended("carol", "s-empty", SessionEndReason.BALANCE_EXHAUSTED, now));
        publish(ended("carol", "s-last", SessionEndReason.TIMED_OUT, now));

        await().atMost(Duration.ofSeconds(5)).until(() -> stops("carol").size() == 2);
        assertThat(stops("carol")).extracting(row -> row.get("session")).containsExactly("s-empty", "s-last");
        assertThat(TestGs.codes("StopGame", "carol")).hasSize(2);
    }

    @Test
    void anOldEventOrOneOlderThanTheCurrentGameIsRecordedButLeavesTheGameRunning() throws Exception {
        assertThat(start(UserTokens.of("dave"), "g1", "cs").status()).isEqualTo(200);

        publish(ended("dave", "s-old", SessionEndReason.BALANCE_EXHAUSTED, Instant.now().minus(Duration.ofHours(1))));
        publish(ended("dave", "s-before", SessionEndReason.BALANCE_EXHAUSTED, Instant.now().minusSeconds(30)));

        await().atMost(Duration.ofSeconds(5)).until(() -> stops("dave").size() == 2);
        assertThat(stops("dave")).extracting(row -> row.get("result"))
                .containsExactly("skipped_stale", "skipped_newer_game");
        assertThat(TestGs.calls("StopGame", "dave")).isEmpty();
        assertThat(playing()).containsExactly("dave");
    }

    private List<Map<String, Object>> stops(String userId) {
        return jdbc.queryForList("SELECT * FROM cloud_stop WHERE user_id = ? ORDER BY id", userId);
    }

    private static SessionEnded ended(String userId, String session, SessionEndReason reason, Instant at) {
        return new SessionEnded(userId, session, "standard", reason, at.toEpochMilli(), 120, 120, 150, 0);
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
