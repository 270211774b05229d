package io.playbill.query.projection;

import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands records to a processor in the order they were fetched, instead of the extension's default buffer, which
 * re-sorts them by timestamp across partitions. Each record's tracking token is built cumulatively in fetch order,
 * so only fetch order keeps a processor's token equal to what it has processed: re-sorted, a batch can end on a
 * record whose token lacks partitions processed just before (the stored position goes back, a restart re-reads
 * whole partitions) or includes records still waiting (a crash would skip them). One user's events stay in
 * order either way: they share a partition.
 */
final class ArrivalOrderBuffer implements Buffer<KafkaEventMessage> {

    private final LinkedBlockingQueue<KafkaEventMessage> queue;
    private final AtomicReference<RuntimeException> fetchFailure = new AtomicReference<>();

    ArrivalOrderBuffer(int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
    }

    @Override
    public void put(KafkaEventMessage message) throws InterruptedException {
        queue.put(message);
    }

    @Override
    public void putAll(Collection<KafkaEventMessage> messages) throws InterruptedException {
        for (KafkaEventMessage message : messages) {
            queue.put(message);
        }
    }

    @Override
    public KafkaEventMessage poll(long timeout, TimeUnit unit) throws InterruptedException {
        rethrowFetchFailure();
        return queue.poll(timeout, unit);
    }

    @Override
    public KafkaEventMessage take() throws InterruptedException {
        rethrowFetchFailure();
        return queue.take();
    }

    @Override
    public KafkaEventMessage peek() {
        rethrowFetchFailure();
        return queue.peek();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public int remainingCapacity() {
        return queue.remainingCapacity();
    }

    @Override
    public void clear() {
        queue.clear();
    }

    /** The fetcher failed: the processor sees it on its next read, rolls back and reopens the stream. */
    @Override
    public void setException(RuntimeException exception) {
        fetchFailure.set(exception);
    }

    private void rethrowFetchFailure() {
        RuntimeException failure = fetchFailure.get();
        if (failure != null && queue.isEmpty()) {
            throw failure;
        }
    }
}
