package io.playbill.ledger.axon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.domain.LedgerRegistry;
import io.playbill.ledger.domain.PriceBook;
import io.playbill.ledger.domain.SessionRules;
import io.playbill.ledger.pricing.InMemoryPriceBook;
import io.playbill.ledger.registry.InMemoryLedgerRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The real {@link UserAccount} in a small Axon configuration with an in-memory event store: what the property
 * tests drive. Accounts stay in a cache while they run, so {@link #live} is the instance that handled the
 * commands, and {@link #replayed} rebuilds one from its events alone. Building the configuration takes a while,
 * so there is one per rule set; {@link #fresh} empties it for the next try.
 */
final class AccountHarness {

    private static final Map<SessionRules, AccountHarness> BY_RULES = new ConcurrentHashMap<>();

    /** Jackson as Spring Boot configures it, as Axon's snapshots use it. */
    private static final JacksonSerializer SNAPSHOTS = JacksonSerializer.builder()
            .objectMapper(Jackson2ObjectMapperBuilder.json().build()).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Configuration axon;
    private final Repository<UserAccount> uncached;
    private final ResettableStorage storage = new ResettableStorage();
    private final BoundedAccountCache accounts = new BoundedAccountCache(10_000);
    private final InMemoryLedgerRegistry registry = new InMemoryLedgerRegistry();
    private InMemoryPriceBook prices = new InMemoryPriceBook();

    private AccountHarness(SessionRules rules) {
        axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> storage)
                .configureAggregate(AggregateConfigurer.defaultConfiguration(UserAccount.class)
                        .configureCache(c -> accounts)
                        .configureCommandTargetResolver(c -> LedgerCommands.TARGETS))
                .registerComponent(PriceBook.class, c -> (queue, atMillis) -> prices.pricePerMinute(queue, atMillis))
                .registerComponent(SessionRules.class, c -> rules)
                .registerComponent(LedgerRegistry.class, c -> registry)
                // The registry hears the events as they are stored, as the ledger's subscribing projection does.
                .eventProcessing(processing -> processing.usingSubscribingEventProcessors()
                        .registerEventHandler(c -> registry))
                .buildConfiguration();
        axon.start();
        uncached = EventSourcingRepository.builder(UserAccount.class).eventStore(axon.eventStore()).build();
    }

    /** An empty ledger (no events, no accounts, no prices) with these rules. */
    static AccountHarness fresh(SessionRules rules) {
        AccountHarness harness = BY_RULES.computeIfAbsent(rules, AccountHarness::new);
        harness.storage.empty();
        harness.accounts.removeAll();
        harness.registry.clear();
        harness.prices = new InMemoryPriceBook();
        return harness;
    }

    InMemoryPriceBook prices() {
        return prices;
    }

    /** The answer to {@code command} sent with the request's metadata, or the {@code LedgerError} it was refused with. */
    Object send(Object command, MetaData request) {
        return send(GenericCommandMessage.asCommandMessage(command).andMetaData(request));
    }

    /** The command's answer, or the {@code LedgerError} it was refused with. */
    Object send(Object command) {
        try {
            return axon.commandGateway().sendAndWait(command);
        } catch (LedgerRefusal refusal) {
            return refusal.error();
        }
    }

    List<Object> events(String userId) {
        return axon.eventStore().readEvents(userId).asStream().map(Message::getPayload).map(Object.class::cast)
                .toList();
    }

    String live(String userId) {
        return json(load(axon.repository(UserAccount.class), userId));
    }

    String replayed(String userId) {
        return json(load(uncached, userId));
    }

    /** The account written as a snapshot and read back, as the snapshotter and the repository would. */
    String restoredFromSnapshot(String userId) {
        SerializedObject<byte[]> snapshot = SNAPSHOTS.serialize(load(uncached, userId), byte[].class);
        return json(SNAPSHOTS.<byte[], UserAccount>deserialize(snapshot));
    }

    long balance(String userId) {
        try {
            return JSON.readTree(live(userId)).at("/account/wallet/balance").asLong();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UserAccount load(Repository<UserAccount> repository, String userId) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return repository.load(userId).invoke(Function.identity());
        } finally {
            unitOfWork.rollback();
        }
    }

    private static String json(UserAccount account) {
        try {
            return JSON.writeValueAsString(account);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An in-memory event store that can be emptied between tries (the plain one reads by scanning everything). */
    private static final class ResettableStorage implements EventStorageEngine {

        private InMemoryEventStorageEngine events = new InMemoryEventStorageEngine();

        void empty() {
            events = new InMemoryEventStorageEngine();
        }

        @Override
        public void appendEvents(List<? extends EventMessage<?>> messages) {
            events.appendEvents(messages);
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            events.storeSnapshot(snapshot);
        }

        @Override
        public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
            return events.readEvents(trackingToken, mayBlock);
        }

        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            return events.readEvents(aggregateIdentifier, firstSequenceNumber);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return events.readSnapshot(aggregateIdentifier);
        }

        @Override
        public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
            return events.lastSequenceNumberFor(aggregateIdentifier);
        }
    }
}
