package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests arrive over the real broker, are decided by the Axon account, stored in PostgreSQL, and published. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LedgerIntakeIntegrationTest {

    private static final String REPLY_TOPIC = LedgerTopics.REPLIES;

    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> replyConsumer;

    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = PlaybillTestInfrastructure.shared();
        infra.createDatabase("ledger").springProperties("spring.datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.kafka.bootstrap-servers", infra::kafkaBootstrapServers);
    }

    @BeforeAll
    static void clients() {
        String bootstrap = PlaybillTestInfrastructure.shared().kafkaBootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer());
        replyConsumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        replyConsumer.subscribe(List.of(REPLY_TOPIC));
    }

    @AfterAll
    static void closeClients() {
        producer.close();
        replyConsumer.close();
    }

    @Test
    void aDepositIsDecidedStoredAnsweredAndPublished() throws Exception {
        String user = "alice-" + UUID.randomUUID();

        LedgerReply first = request(user, new LedgerOperation.Deposit(1000, user + "-pay-42"));
        LedgerReply retry = request(user, new LedgerOperation.Deposit(1000, user + "-pay-42"));
        LedgerReply conflict = request(user, new LedgerOperation.Deposit(999, user + "-pay-42"));
        LedgerReply second = request(user, new LedgerOperation.Deposit(500, user + "-pay-43"));

        assertThat(first.accepted()).isTrue();
        assertThat(first.balance()).isEqualTo(1000);
        assertThat(retry.balance()).as("a retried deposit is applied once and answered the same").isEqualTo(1000);
        assertThat(conflict.accepted()).isFalse();
        assertThat(conflict.errorCode()).isEqualTo(LedgerError.REFERENCE_CONFLICT);
        assertThat(second.balance()).isEqualTo(1500);

        assertThat(jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", String.class, user))
                .containsExactly("io.playbill.ledger.api.events.AccountOpened",
                        "io.playbill.ledger.api.events.FundsDeposited", "io.playbill.ledger.api.events.FundsDeposited");
        assertThat(jdbc.queryForObject("select data_type from information_schema.columns"
                + " where table_name = 'domain_event_entry' and column_name = 'payload'", String.class))
                .isEqualTo("bytea");

        assertThat(jdbc.queryForObject("select last_value from domain_event_entry_seq", Long.class))
                .as("each event takes its global index straight from the step-1 sequence (no pre-allocated blocks)")
                .isEqualTo(jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class));

        assertThat(publishedEventTypes(user, 3)).containsExactly("io.playbill.ledger.api.events.AccountOpened",
                "io.playbill.ledger.api.events.FundsDeposited", "io.playbill.ledger.api.events.FundsDeposited");
    }

    @Test
    void aRequestNamingAReplyTopicOutsideTheAllowListIsNotDecidedAndWritesNothingThere() throws Exception {
        String user = "mallory-" + UUID.randomUUID();
        double refusedBefore = refusedReplyTopics();

        send(user, new LedgerOperation.Deposit(1_000_000, user + "-forged-1"), LedgerTopics.EVENTS,
                UUID.randomUUID().toString());
        // Same user, same partition: once this one is answered, the forged one before it has been handled.
        LedgerReply honest = request(user, new LedgerOperation.Deposit(500, user + "-pay-1"));

        assertThat(honest.accepted()).isTrue();
        assertThat(honest.balance()).as("the forged deposit changed no balance").isEqualTo(500);
        assertThat(refusedReplyTopics()).isEqualTo(refusedBefore + 1);
        assertThat(publishedEventTypes(user, 2)).containsExactly("io.playbill.ledger.api.events.AccountOpened",
                "io.playbill.ledger.api.events.FundsDeposited");
        assertThat(eventsTopicRecordsOf(user)).as("the events topic holds the honest deposit's events, no reply")
                .hasSize(2)
                .allSatisfy(record -> {
                    assertThat(record.headers().lastHeader("axon-message-type")).isNotNull();
                    assertThat(record.headers().lastHeader(LedgerHeaders.CORRELATION_ID)).isNull();
                });
    }

    private double refusedReplyTopics() {
        var counter = meters.find("playbill.ledger.intake.refused").tag("reason", "reply_topic_not_allowed").counter();
        return counter == null ? 0 : counter.count();
    }

    private LedgerReply request(String user, LedgerOperation operation) throws Exception {
        String requestId = UUID.randomUUID().toString();
        send(user, operation, REPLY_TOPIC, requestId);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            for (ConsumerRecord<String, byte[]> reply : replyConsumer.poll(Duration.ofMillis(200))) {
                String correlation = new String(reply.headers().lastHeader(LedgerHeaders.CORRELATION_ID).value(),
                        StandardCharsets.UTF_8);
                if (correlation.equals(requestId)) {
                    return json.readValue(reply.value(), LedgerReply.class);
                }
            }
        }
        throw new AssertionError("No reply to " + operation + " within 30 s");
    }

    private void send(String user, LedgerOperation operation, String replyTopic, String requestId) throws Exception {
        var request = new LedgerRequest(requestId, user, System.currentTimeMillis(), operation,
                TestActors.of(user, operation));
        var record = new ProducerRecord<>(LedgerTopics.REQUESTS, user, json.writeValueAsBytes(request));
        record.headers().add(LedgerHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        record.headers().add(LedgerHeaders.CORRELATION_ID, requestId.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    /** Every record of {@code user} on the events topic, read from the beginning up to the end offsets of now. */
    private static List<ConsumerRecord<String, byte[]>> eventsTopicRecordsOf(String user) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PlaybillTestInfrastructure.shared().kafkaBootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(LedgerTopics.EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }

    private static List<String> publishedEventTypes(String user, int expected) {
        List<String> types = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(LedgerTopics.EVENTS));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (types.size() < expected && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        types.add(new String(record.headers().lastHeader("axon-message-type").value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return types;
    }
}
