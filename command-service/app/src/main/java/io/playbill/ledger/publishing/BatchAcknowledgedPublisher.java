package io.playbill.ledger.publishing;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaEventPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.KafkaPublisher;
import org.axonframework.extensions.kafka.eventhandling.producer.ProducerFactory;
import org.axonframework.extensions.kafka.eventhandling.producer.TopicResolver;
import org.axonframework.messaging.EventPublicationFailedException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Axon's {@link KafkaPublisher} with one wait for the broker's acks per batch instead of one per event (decision
 * 050). Axon's waits for each event's ack inside {@code send}, so a segment published one event per round trip to
 * the broker and fell ever further behind the store from ~300 renews/s (docs/performance.md). Here every event of
 * the processor's batch is sent at once, and the batch's unit of work waits for all their acks before it commits,
 * so the token still moves only past events the broker has acknowledged: nothing is lost, a crash re-publishes.
 *
 * <p>Order: the producer is idempotent, so the broker writes one partition's records in the order they were sent,
 * whatever it retries. A failure the producer reports at once (a record too large) is thrown from {@code send}, for
 * that event, as before: {@link PublisherDeadLetters} parks it and the user's later events wait behind it. A failure
 * reported later fails the whole batch; it is rolled back, and the segment's next batches wait for each event's ack
 * before the next is sent, as Axon does, so the failing event is the one that throws (and is parked, or retried when
 * it is an outage) until a batch of that segment commits again. The other segment goes on in batches meanwhile.
 */
final class BatchAcknowledgedPublisher extends KafkaPublisher<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BatchAcknowledgedPublisher.class);

    /**
     * How long one wait for acks may take: bounded, so that an unreachable broker fails the batch (to be retried)
     * instead of holding the segment for the producer's whole {@code delivery.timeout.ms}.
     */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private static final String ACKS = BatchAcknowledgedPublisher.class.getName() + ".acks";
    private static final String ONE_AT_A_TIME = BatchAcknowledgedPublisher.class.getName() + ".oneAtATime";
    /** Where Axon's pooled streaming processor names the segment of the batch (its work package's resource). */
    private static final String SEGMENT = "Processor[" + KafkaEventPublisher.DEFAULT_PROCESSING_GROUP + "]/SegmentId";
    /** The segment of a batch run outside such a processor. */
    private static final Integer ANY_SEGMENT = -1;

    private final ProducerFactory<String, byte[]> producers;
    private final KafkaMessageConverter<String, byte[]> converter;
    private final TopicResolver topics;
    /**
     * The segments whose last batch's acks failed. A segment's is cleared only when one of its own batches, published
     * one event at a time from its start, commits: another segment's traffic must not switch a failing segment back
     * to batches before its refused event has been found and parked.
     */
    private final Set<Object> oneAtATime = ConcurrentHashMap.newKeySet();

    BatchAcknowledgedPublisher(ProducerFactory<String, byte[]> producers,
                               KafkaMessageConverter<String, byte[]> converter, TopicResolver topics) {
        super(KafkaPublisher.<String, byte[]>builder()
                .producerFactory(producers)
                .messageConverter(converter)
                .topicResolver(topics));
        this.producers = producers;
        this.converter = converter;
        this.topics = topics;
    }

    @Override
    public <T extends EventMessage<?>> void send(T event) {
        Optional<String> topic = topics.resolve(event);
        if (topic.isEmpty()) {
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Object segment = batch.resources().getOrDefault(SEGMENT, ANY_SEGMENT);
        // The batch's way is fixed at its first event, so that it never changes halfway through.
        boolean single = batch.getOrComputeResource(ONE_AT_A_TIME, key -> {
            boolean failedBefore = oneAtATime.contains(segment);
            if (failedBefore) {
                batch.afterCommit(committed -> oneAtATime.remove(segment));
            }
            return failedBefore;
        });
        // Axon's non-transactional factory hands out one shared producer; it is closed with the factory.
        Future<RecordMetadata> ack = producers.createProducer()
                .send(converter.createKafkaMessage(event, topic.get()));
        if (single || ack.isDone()) {
            await(List.of(ack));
        } else {
            batch.getOrComputeResource(ACKS, key -> awaitedBeforeCommit(batch, segment)).add(ack);
        }
    }

    private List<Future<RecordMetadata>> awaitedBeforeCommit(UnitOfWork<?> batch, Object segment) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        batch.onPrepareCommit(committing -> {
            try {
                await(acks);
            } catch (EventPublicationFailedException e) {
                if (oneAtATime.add(segment)) {
                    log.warn("A batch of {} events of segment {} was not acknowledged ({}); it is published again"
                            + " one event at a time", acks.size(), segment, e.getCause());
                }
                throw e;
            }
        });
        return acks;
    }

    /** Waits for every ack, within {@link #ACK_TIMEOUT} in all; the first failure fails the wait. */
    private static void await(List<Future<RecordMetadata>> acks) {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventPublicationFailedException("Interrupted while waiting for the broker's ack", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new EventPublicationFailedException("The broker did not acknowledge an event", e);
            }
        }
    }
}
