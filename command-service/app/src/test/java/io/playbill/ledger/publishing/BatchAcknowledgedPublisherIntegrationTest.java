package io.playbill.ledger.publishing;

import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.support.LedgerIntegrationTest;
import io.playbill.ledger.support.LedgerTestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher sends a batch's events together and waits for their acks once (decision 050), where Axon's waited
 * for each event's ack before it sent the next: a burst reaches the topic in far fewer produce requests than it has
 * events, each event once and each user's in the order of their sequence.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BatchAcknowledgedPublisherIntegrationTest extends LedgerIntegrationTest {

    private static final int USERS = 20;
    private static final int DEPOSITS = 5;

    @Autowired
    ProducerFactory<String, byte[]> producers;

    @Test
    void aBurstIsPublishedInFewerProduceRequestsThanEventsEachEventOnceAndInEachUsersOrder() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "burst-" + i + "-" + id).toList();
        double requestsBefore = produceRequests();

        for (int deposit = 0; deposit < DEPOSITS; deposit++) {
            for (String user : users) {
                ledger.send(user, System.currentTimeMillis(),
                        new LedgerOperation.Deposit(1, "d" + deposit + "-" + user));
            }
        }

        int eventsPerUser = 1 + DEPOSITS; // AccountOpened, then one FundsDeposited per deposit
        for (String user : users) {
            List<ConsumerRecord<String, byte[]>> published = LedgerTestInfrastructure.published(user, eventsPerUser);
            assertThat(published.stream().map(BatchAcknowledgedPublisherIntegrationTest::sequence).toList())
                    .as("%s's events on the topic", user)
                    .containsExactlyElementsOf(IntStream.range(0, eventsPerUser).mapToObj(i -> (long) i).toList());
        }
        // Waiting for each event's ack, a segment has one event in flight: at least one request per segment's event.
        double requests = produceRequests() - requestsBefore;
        assertThat(requests).as("produce requests for %d events", USERS * eventsPerUser)
                .isPositive().isLessThan(USERS * eventsPerUser / (double) EventPublishingConfiguration.SEGMENTS);
    }

    /** Every request the publisher's producer sent (its produce requests, and the odd metadata request). */
    private double produceRequests() {
        return producers.createProducer().metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("request-total")
                        && metric.getKey().group().equals("producer-metrics"))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static long sequence(ConsumerRecord<String, byte[]> record) {
        return ByteBuffer.wrap(record.headers().lastHeader("axon-message-aggregate-seq").value()).getLong();
    }
}
