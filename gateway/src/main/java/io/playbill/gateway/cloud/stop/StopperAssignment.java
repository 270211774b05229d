package io.playbill.gateway.cloud.stop;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Fixes the stopper consumer's positions as soon as partitions are assigned, and tells when that first happened.
 * A brand-new consumer group starts at the end of the topic; Kafka looks that end up lazily, so an event written
 * between the assignment and the first fetch would otherwise be skipped.
 */
public final class StopperAssignment implements ConsumerAwareRebalanceListener {

    private final CountDownLatch firstAssignment = new CountDownLatch(1);

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position);
        if (!partitions.isEmpty()) {
            firstAssignment.countDown();
        }
    }

    /** Whether this instance was given (and positioned on) partitions within {@code timeout}. */
    public boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
