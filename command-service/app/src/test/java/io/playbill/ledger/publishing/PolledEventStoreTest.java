package io.playbill.ledger.publishing;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's event store is not woken by a commit, as Axon's is, and reads every poll interval: checked side by
 * side with Axon's on the same kind of in-memory storage, each stream tailing the store as the publisher's does.
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

    /** Either store's settings: in-memory storage, read every {@code pollInterval} (Axon's: and after each commit). */
    private static EmbeddedEventStore.Builder builder(Duration pollInterval) {
        return EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine())
                .fetchDelay(pollInterval.toMillis());
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
