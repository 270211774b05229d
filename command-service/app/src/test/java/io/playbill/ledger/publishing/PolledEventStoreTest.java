package io.playbill.ledger.publishing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's event store is not woken by a commit, as Axon's is, reads every poll interval, and keeps fewer of
 * the events it has read: checked side by side with Axon's on the same kind of in-memory storage, each stream tailing
 * the store as the publisher's does.
 */
class PolledEventStoreTest {

    private final List<EmbeddedEventStore> stores = new ArrayList<>();

    @AfterEach
    void shutDown() {
        stores.forEach(EmbeddedEventStore::shutDown);
    }

    @Test
    void aCommitWakesAxonsReaderButNotThePolledOne() throws InterruptedException {
        EmbeddedEventStore axons = keep(builder(Duration.ofHours(1)).build());
        EmbeddedEventStore polled = keep(new PolledEventStore(builder(Duration.ofHours(1))));
        TrackingEventStream axonsStream = tailing(axons);
        TrackingEventStream polledStream = tailing(polled);

        axons.publish(GenericEventMessage.asEventMessage("deposited"));
        polled.publish(GenericEventMessage.asEventMessage("deposited"));

        assertThat(axonsStream.hasNextAvailable(5, TimeUnit.SECONDS)).as("Axon's reads after the commit").isTrue();
        assertThat(polledStream.hasNextAvailable(1, TimeUnit.SECONDS))
                .as("the polled one waits for its interval, an hour here").isFalse();
    }

    @Test
    void whatWasCommittedIsReadWithinThePollInterval() throws InterruptedException {
        EmbeddedEventStore polled = keep(new PolledEventStore(builder(Duration.ofMillis(50))));
        TrackingEventStream stream = tailing(polled);

        polled.publish(GenericEventMessage.asEventMessage("deposited"), GenericEventMessage.asEventMessage("renewed"));

        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("deposited");
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("renewed");
    }

    @Test
    void anEventSentIsNoLongerHeldOnceTheCacheHasMovedPastIt() throws InterruptedException {
        EmbeddedEventStore axons = keep(builder(new FreshCopiesStorage(), Duration.ofMillis(50)).build());
        EmbeddedEventStore polled = keep(new PolledEventStore(builder(new FreshCopiesStorage(), Duration.ofMillis(50))));

        WeakReference<TrackedEventMessage<?>> firstReadFromAxons = readFirstThenCacheFullMore(axons);
        WeakReference<TrackedEventMessage<?>> firstReadFromPolled = readFirstThenCacheFullMore(polled);

        assertThat(collected(firstReadFromPolled)).as("the polled store let go of it").isTrue();
        assertThat(collected(firstReadFromAxons)).as("Axon's still caches it, one of its 10,000").isFalse();
    }

    @Test
    void aReaderFurtherBehindThanTheCacheStillReadsEveryEventInOrder() throws InterruptedException {
        EmbeddedEventStore polled = keep(new PolledEventStore(builder(Duration.ofMillis(50))));
        TrackingEventStream stream = tailing(polled);
        int behind = PolledEventStore.CACHED_EVENTS * 3;

        polled.publish(IntStream.range(0, behind).mapToObj(GenericEventMessage::asEventMessage).toList());
        Thread.sleep(500); // the store's reader, not the stream, reads them all: the stream falls behind its cache

        for (int i = 0; i < behind; i++) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("event %d", i).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo(i);
        }
        polled.publish(GenericEventMessage.asEventMessage("after catching up"));
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("after catching up");
    }

    /**
     * Reads one event, then as many more as the polled store caches and a hundred besides; the first is then out of
     * that cache and only the cache could still hold it.
     */
    private static WeakReference<TrackedEventMessage<?>> readFirstThenCacheFullMore(EmbeddedEventStore store)
            throws InterruptedException {
        TrackingEventStream stream = tailing(store);
        store.publish(GenericEventMessage.asEventMessage("first"));
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        WeakReference<TrackedEventMessage<?>> first = new WeakReference<>(stream.nextAvailable());
        int more = PolledEventStore.CACHED_EVENTS + 100;
        store.publish(IntStream.range(0, more).mapToObj(GenericEventMessage::asEventMessage).toList());
        for (int i = 0; i < more; i++) {
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            stream.nextAvailable();
        }
        return first;
    }

    /** Whether the collector clears the reference within a second of asking for collections. */
    private static boolean collected(WeakReference<?> reference) throws InterruptedException {
        for (int attempt = 0; attempt < 50 && reference.get() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        return reference.get() == null;
    }

    /** Either store's settings: in-memory storage, read every {@code pollInterval} (Axon's: and after each commit). */
    private static EmbeddedEventStore.Builder builder(Duration pollInterval) {
        return builder(new InMemoryEventStorageEngine(), pollInterval);
    }

    private static EmbeddedEventStore.Builder builder(InMemoryEventStorageEngine storage, Duration pollInterval) {
        return EmbeddedEventStore.builder()
                .storageEngine(storage)
                .fetchDelay(pollInterval.toMillis());
    }

    /**
     * In-memory storage that hands each read a new message object, as the JDBC storage does when it deserialises a
     * row: what a reader holds after a read is then only what the store's cache keeps, not the storage's own copy.
     */
    private static final class FreshCopiesStorage extends InMemoryEventStorageEngine {

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken token, boolean mayBlock) {
            return super.readEvents(token, mayBlock).map(FreshCopiesStorage::copy);
        }

        private static TrackedEventMessage<?> copy(TrackedEventMessage<?> stored) {
            EventMessage<?> message = stored;
            return new GenericTrackedEventMessage<>(stored.trackingToken(), message);
        }
    }

    /** Shut down after the test. */
    private EmbeddedEventStore keep(EmbeddedEventStore store) {
        stores.add(store);
        return store;
    }

    /** A stream at the store's end that reads what its reader fetches, as a caught-up processor's does. */
    private static TrackingEventStream tailing(EmbeddedEventStore store) throws InterruptedException {
        TrackingEventStream stream = store.openStream(null);
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).as("an empty store").isFalse();
        return stream;
    }
}
