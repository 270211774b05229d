package io.playbill.gateway.ledger;

import io.playbill.ledger.api.messages.LedgerHeaders;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import java.time.Duration;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which partitions of the replies topic this gateway instance reads, so that its requests can ask for their replies
 * there (decision 035), and when it first had some.
 *
 * <p>The gateway instances share one consumer group on the replies topic, so each reads only the partitions the
 * group gave it. The cooperative assignor moves a partition only when an instance joins or leaves; a request whose
 * reply partition moved meanwhile gets no reply and times out (503 {@code ledger_unavailable}, retried by the client).
 *
 * <p>The reply consumer starts at the end of each assigned partition ({@code auto.offset.reset=latest}, no offsets
 * committed). Kafka looks that end up lazily, after reporting the assignment; a reply written in between would be
 * skipped. Asking for the position inside the callback fixes the start before any request names the partition.
 */
final class ReplyPartitionAssignment implements ConsumerAwareRebalanceListener {

    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    /** Touched only by the consumer's thread, which runs every callback. */
    private final TreeSet<Integer> assigned = new TreeSet<>();
    /** The header every request carries, made once per rebalance instead of per request; null while none. */
    private volatile byte[] replyPartitionHeader;
    private final AtomicInteger rebalances = new AtomicInteger();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        // The cooperative protocol calls this at the end of every rebalance, with or without new partitions.
        rebalances.incrementAndGet();
        partitions.forEach(consumer::position);
        partitions.forEach(partition -> assigned.add(partition.partition()));
        settle();
        if (!assigned.isEmpty()) {
            firstAssignment.countDown();
        }
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> assigned.remove(partition.partition()));
        settle();
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> assigned.remove(partition.partition()));
        settle();
    }

    private void settle() {
        replyPartitionHeader = assigned.isEmpty() ? null : LedgerHeaders.replyPartition(assigned.first());
    }

    /**
     * The {@code kafka_replyPartition} header's value for this instance's requests (its lowest partition); null while
     * it reads none. Shared by every request: nobody may change it.
     */
    byte[] replyPartitionHeader() {
        return replyPartitionHeader;
    }

    /** The partition this instance's requests ask their replies on; empty while it reads none. */
    OptionalInt replyPartition() {
        return LedgerHeaders.replyPartition(replyPartitionHeader);
    }

    /** Rebalances of the reply group this instance took part in; for tests and diagnostics. */
    int rebalances() {
        return rebalances.get();
    }

    /** Whether partitions were assigned (and positioned) within {@code timeout}. */
    boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
