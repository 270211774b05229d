package io.playbill.ledger.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.support.LedgerIntegrationTest;
import io.playbill.ledger.support.LedgerTestInfrastructure;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.axonframework.extensions.kafka.eventhandling.producer.DefaultProducerFactory;
import org.axonframework.messaging.timeout.HandlerTimeoutHandlerEnhancerDefinition;
import org.axonframework.springboot.autoconfig.AxonTimeoutAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.playbill.ledger.support.LedgerTestInfrastructure.lastExpiryScanAtMillis;
import static io.playbill.ledger.support.LedgerTestInfrastructure.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Requests arrive over the real broker, are decided by the Axon account, stored in PostgreSQL, and published. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LedgerIntakeIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Value("${spring.kafka.listener.ack-time}")
    Duration ackTime;

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
        assertThat(jdbc.queryForList("select event_identifier from domain_event_entry where aggregate_identifier = ?"
                + " order by sequence_number", String.class, user))
                .as("time-ordered (version 7) event ids, TimeOrderedMessageIds").isSorted()
                .allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
        assertThat(jdbc.queryForList("select convert_from(meta_data, 'UTF8') from domain_event_entry"
                + " where aggregate_identifier = ?", String.class, user))
                .as("no Axon correlation data (traceId, correlationId) stored with the events, decision 038")
                .containsOnly("{}");
        assertThat(jdbc.queryForObject("select data_type from information_schema.columns"
                + " where table_name = 'domain_event_entry' and column_name = 'payload'", String.class))
                .isEqualTo("bytea");

        assertThat(jdbc.queryForObject("select last_value from domain_event_entry_seq", Long.class))
                .as("each event takes its global index straight from the step-1 sequence (no pre-allocated blocks)")
                .isEqualTo(jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class));

        assertThat(publishedTypes(user, 3)).containsExactly("io.playbill.ledger.api.events.AccountOpened",
                "io.playbill.ledger.api.events.FundsDeposited", "io.playbill.ledger.api.events.FundsDeposited");
    }

    /**
     * A refused request delivered again (its batch answered, then the instance died before committing its offsets, or
     * another reply of the batch could not be sent) gets its first answer. Decided again after a deposit, a refund
     * refused for the balance was accepted: money moved after its requester was told it did not.
     */
    @Test
    void aRefusedRefundDeliveredAgainAfterADepositIsRefusedAgainAndMovesNothing() {
        String user = "carol-" + UUID.randomUUID();
        assertThat(request(user, new LedgerOperation.Deposit(50, user + "-pay-1")).balance()).isEqualTo(50);
        LedgerOperation.Refund refund = new LedgerOperation.Refund(80, user + "-refund-1", "goodwill");
        LedgerRequest refundRequest = new LedgerRequest(UUID.randomUUID().toString(), user,
                System.currentTimeMillis(), refund, TestActors.of(user, refund));
        LedgerReply first = ledger.request(user, refundRequest);
        assertThat(first.errorCode()).isEqualTo(LedgerError.BALANCE_WOULD_BE_NEGATIVE);
        assertThat(request(user, new LedgerOperation.Deposit(100, user + "-pay-2")).balance()).isEqualTo(150);

        LedgerReply deliveredAgain = ledger.request(user, refundRequest);

        assertThat(deliveredAgain.accepted()).isFalse();
        assertThat(deliveredAgain.errorCode()).isEqualTo(first.errorCode());
        assertThat(deliveredAgain.message()).isEqualTo(first.message());
        assertThat(jdbc.queryForList("select payload_type from domain_event_entry where aggregate_identifier = ?",
                String.class, user)).as("nothing refunded").noneMatch(type -> type.endsWith("FundsRefunded"));
        LedgerReply askedAgain = request(user, refund);
        assertThat(askedAgain.accepted()).as("a new request for the same refund is decided anew").isTrue();
        assertThat(askedAgain.balance()).isEqualTo(70);
    }

    @Test
    void axonTimesNoHandlerAndNoUnitOfWork(@Autowired ApplicationContext context) {
        // Decision 036: with Axon's timeouts on, every command, event handler and unit of work captured its thread's
        // stack and scheduled a warning.
        assertThat(context.getBeanNamesForType(AxonTimeoutAutoConfiguration.class)).isEmpty();
        assertThat(context.getBeanNamesForType(HandlerTimeoutHandlerEnhancerDefinition.class)).isEmpty();
    }

    @Test
    void noKafkaClientPushesTelemetry(@Autowired ApplicationContext context) {
        // KIP-714's reporter formats log text on every network poll of a client that has it on.
        List<Map<String, Object>> clients = new ArrayList<>();
        for (ProducerFactory<?, ?> factory : context.getBeansOfType(ProducerFactory.class).values()) {
            clients.add(factory.getConfigurationProperties());
        }
        for (ConsumerFactory<?, ?> factory : context.getBeansOfType(ConsumerFactory.class).values()) {
            clients.add(factory.getConfigurationProperties());
        }
        for (DefaultProducerFactory<?, ?> factory : context.getBeansOfType(DefaultProducerFactory.class).values()) {
            clients.add(factory.configurationProperties());
        }

        assertThat(clients).as("the intake's consumer, the replies' and the publisher's producers")
                .hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(config -> assertThat(config).containsEntry("enable.metrics.push", "false"));
    }

    @Test
    void aRequestNamingAReplyTopicOutsideTheAllowListIsNotDecidedAndWritesNothingThere() throws Exception {
        String user = "mallory-" + UUID.randomUUID();
        double refusedBefore = refusedReplyTopics();

        ledger.send(user, new LedgerRequest(UUID.randomUUID().toString(), user, System.currentTimeMillis(),
                new LedgerOperation.Deposit(1_000_000, user + "-forged-1"), TestActors.ADMIN), LedgerTopics.EVENTS);
        // Same user, same partition: once this one is answered, the forged one before it has been handled.
        LedgerReply honest = request(user, new LedgerOperation.Deposit(500, user + "-pay-1"));

        assertThat(honest.accepted()).isTrue();
        assertThat(honest.balance()).as("the forged deposit changed no balance").isEqualTo(500);
        assertThat(refusedReplyTopics()).isEqualTo(refusedBefore + 1);
        assertThat(publishedTypes(user, 2)).containsExactly("io.playbill.ledger.api.events.AccountOpened",
                "io.playbill.ledger.api.events.FundsDeposited");
        assertThat(published(user, 0)).as("the events topic holds the honest deposit's events, no reply")
                .hasSize(2)
                .allSatisfy(record -> {
                    assertThat(record.headers().lastHeader("axon-message-type")).isNotNull();
                    assertThat(record.headers().lastHeader(LedgerHeaders.CORRELATION_ID)).isNull();
                });
    }

    @Test
    void theIntakeCommitsItsOffsetsOncePerIntervalNotOncePerBatchAndLeavesNoneUncommitted(
            @Autowired KafkaListenerEndpointRegistry listeners) {
        String user = "commits-" + UUID.randomUUID();
        long batchesBefore = batches();
        double commitsBefore = offsetCommits(listeners);

        // Each request waits for the one before to be answered, so each is a batch of its own.
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            assertThat(request(user, new LedgerOperation.Deposit(1, user + "-pay-" + i)).accepted()).isTrue();
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(batches() - batchesBefore).as("this ledger decided them, one batch each").isEqualTo(30);
        // The consumer deciding them commits at most once per ack-time while they were answered, plus one for the
        // first (due at once after the idle time before it) and one for an interval cut by the start: far fewer
        // than 30 unless the loop took 14 s or more, however slow the machine.
        long mostCommits = elapsedMillis / ackTime.toMillis() + 2;
        assertThat(offsetCommits(listeners) - commitsBefore)
                .as("decision 048: the done batches' offsets go in one commit per ack-time (%s), not one per batch;"
                        + " the 30 batches took %d ms", ackTime, elapsedMillis)
                .isLessThanOrEqualTo(mostCommits);
        // The intake's own lag (IntakeProgress: end offset minus committed, per partition), from a scan that began
        // after the last answer, so a value left from before cannot pass. The bound is generous: on a loaded CI box
        // a commit that timed out, or a rebalance, delays the next commit by seconds without anything being wrong.
        long answeredAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lastExpiryScanAtMillis(meters)).isGreaterThan(answeredAt);
            assertThat(meters.find("playbill.ledger.intake.lag").gauges()).as("the request topic's partitions")
                    .isNotEmpty()
                    .allSatisfy(lag -> assertThat(lag.value()).as("an idle intake has committed all it decided, %s",
                            lag.getId().getTag("partition")).isZero());
        });
    }

    private long batches() {
        return meters.get("playbill.ledger.intake.batch").summary().count();
    }

    /** The offset commits the intake's consumers have made (the Kafka consumer's own count). */
    private static double offsetCommits(KafkaListenerEndpointRegistry listeners) {
        double commits = 0;
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            for (Map<MetricName, ? extends Metric> metrics : container.metrics().values()) {
                for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
                    if (metric.getKey().name().equals("commit-total")
                            && metric.getKey().group().equals("consumer-coordinator-metrics")) {
                        commits += ((Number) metric.getValue().metricValue()).doubleValue();
                    }
                }
            }
        }
        return commits;
    }

    private double refusedReplyTopics() {
        var counter = meters.find("playbill.ledger.intake.refused").tag("reason", "reply_topic_not_allowed").counter();
        return counter == null ? 0 : counter.count();
    }

    private static LedgerReply request(String user, LedgerOperation operation) {
        return ledger.request(user, System.currentTimeMillis(), operation);
    }

    private static List<String> publishedTypes(String user, int atLeast) {
        return published(user, atLeast).stream().map(LedgerTestInfrastructure::eventType).toList();
    }
}
