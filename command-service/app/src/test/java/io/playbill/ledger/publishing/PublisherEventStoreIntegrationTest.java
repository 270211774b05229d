package io.playbill.ledger.publishing;

import io.playbill.ledger.config.EventTables;
import io.playbill.ledger.support.LedgerIntegrationTest;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's one event store, the one the publisher reads, is the uncached one (decision 045): a stream that
 * has caught up still reads what is committed later, and an event read is not held once the stream has moved on.
 * The stores here read tables of their own, made like the event table, so the application's publisher never sees
 * their events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class PublisherEventStoreIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    Configuration axon;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConnectionProvider connections;
    @Autowired
    TransactionManager transactions;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    private final List<EmbeddedEventStore> stores = new ArrayList<>();

    @AfterEach
    void shutDown() {
        stores.forEach(EmbeddedEventStore::shutDown);
    }

    @Test
    void theOnlyEventStoreIsTheUncachedOne() {
        assertThat(context.getBeansOfType(EventBus.class).values())
                .singleElement().isInstanceOf(UncachedEventStore.class);
        assertThat(axon.eventStore()).isInstanceOf(UncachedEventStore.class);
        assertThat(axon.eventBus()).isSameAs(context.getBean(EventStore.class));
    }

    @Test
    void aStreamThatCaughtUpReadsWhatIsCommittedLater() throws InterruptedException {
        EmbeddedEventStore store = keep(new UncachedEventStore(EmbeddedEventStore.builder()
                .storageEngine(storage("test_caught_up_entry"))));
        TrackingEventStream stream = caughtUp(store);

        store.publish(event("deposited"));

        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("deposited");
    }

    @Test
    void anEventReadIsNotHeldOnceTheStreamHasMovedOn() throws InterruptedException {
        EventStorageEngine storage = storage("test_held_entry");
        EmbeddedEventStore axons = keep(EmbeddedEventStore.builder().storageEngine(storage).fetchDelay(50).build());
        EmbeddedEventStore uncached = keep(new UncachedEventStore(EmbeddedEventStore.builder().storageEngine(storage)));
        TrackingEventStream axonsStream = caughtUp(axons);
        TrackingEventStream uncachedStream = caughtUp(uncached);

        uncached.publish(event("first"));
        WeakReference<TrackedEventMessage<?>> readByAxons = new WeakReference<>(next(axonsStream));
        WeakReference<TrackedEventMessage<?>> readUncached = new WeakReference<>(next(uncachedStream));
        int more = 250; // more than one read's batch
        uncached.publish(IntStream.range(0, more).mapToObj(i -> event("more " + i)).toList());
        for (int i = 0; i < more; i++) {
            next(axonsStream);
            next(uncachedStream);
        }

        assertThat(collected(readUncached)).as("the uncached store let go of it").isTrue();
        assertThat(collected(readByAxons)).as("Axon's still caches it, one of its 10,000").isFalse();
    }

    /** Shut down after the test. */
    private EmbeddedEventStore keep(EmbeddedEventStore store) {
        stores.add(store);
        return store;
    }

    /** Axon's JDBC storage, as the application's, on a table of its own made like the event table. */
    private EventStorageEngine storage(String table) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " (LIKE domain_event_entry INCLUDING ALL)");
        return JdbcEventStorageEngine.builder()
                .schema(EventTables.schema(table))
                .dataType(byte[].class)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(eventSerializer)
                .connectionProvider(connections)
                .transactionManager(transactions)
                .build();
    }

    /** A stream at the store's end, as a publisher's that has read everything. */
    private static TrackingEventStream caughtUp(EmbeddedEventStore store) throws InterruptedException {
        TrackingEventStream stream = store.openStream(store.createHeadToken());
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).as("nothing after the head").isFalse();
        return stream;
    }

    private static TrackedEventMessage<?> next(TrackingEventStream stream) throws InterruptedException {
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        return stream.nextAvailable();
    }

    private static EventMessage<String> event(String payload) {
        return new GenericDomainEventMessage<>("Test", UUID.randomUUID().toString(), 0, payload);
    }

    /** Whether the collector clears the reference within a second of asking for collections. */
    private static boolean collected(WeakReference<?> reference) throws InterruptedException {
        for (int attempt = 0; attempt < 50 && reference.get() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        return reference.get() == null;
    }
}
