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
        EmbeddedEventStore axons = store(EmbeddedEventStore.builder(), Duration.ofHours(1));
        EmbeddedEventStore polled = store(null, Duration.ofHours(1));
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
        EmbeddedEventStore polled = store(null, Duration.ofMillis(50));
        TrackingEventStream stream = tailing(polled);

        polled.publish(GenericEventMessage.asEventMessage("deposited"), GenericEventMessage.asEventMessage("renewed"));

        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("deposited");
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("renewed");
    }

    /** Axon's store when given its builder, else the polled one. */
    private EmbeddedEventStore store(EmbeddedEventStore.Builder axons, Duration pollInterval) {
        EmbeddedEventStore.Builder builder = (axons == null ? EmbeddedEventStore.builder() : axons)
                .storageEngine(new InMemoryEventStorageEngine())
                .fetchDelay(pollInterval.toMillis());
        EmbeddedEventStore store = axons == null ? new PolledEventStore(builder) : builder.build();
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
