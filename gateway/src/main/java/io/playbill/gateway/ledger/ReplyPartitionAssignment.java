package io.playbill.gateway.ledger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Settles the reply consumer's position as soon as partitions are assigned, and tells when that first happened.
 *
 * <p>The reply consumer starts at the end of the replies topic ({@code auto.offset.reset=latest}). Kafka looks that
 * end up lazily, after reporting the assignment; a reply written in between would be skipped and its request
 * would time out. Asking for the position inside the callback fixes the start before anyone waits on it.
 */
final class ReplyPartitionAssignment implements ConsumerAwareRebalanceListener {

    private final CountDownLatch firstAssignment = new CountDownLatch(1);

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position);
        if (!partitions.isEmpty()) {
            firstAssignment.countDown();
        }
    }

    /** Whether partitions were assigned (and positioned) within {@code timeout}. */
    boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
