package io.playbill.ledger.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.ledger.axon.BoundedAccountCache;
import io.playbill.ledger.axon.LedgerCommands;
import io.playbill.ledger.axon.PriceList;
import io.playbill.ledger.axon.SnapshotThread;
import io.playbill.ledger.axon.UserAccount;
import io.playbill.ledger.axon.VersionCheckedCachingRepository;
import io.playbill.ledger.axon.upcasting.LedgerEventRevisions;
import io.playbill.ledger.axon.upcasting.UnrevisedEventUpcaster;
import io.playbill.ledger.domain.SessionRules;
import io.playbill.ledger.infrastructure.JdbcStoredVersions;
import io.playbill.service.durability.DurableCommits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Map;

/**
 * How the ledger's domain is wired into Axon: the rules accounts apply, how accounts are stored, cached and
 * snapshotted, which aggregate a command is for, and how stored events are revised and upcast.
 */
@Configuration
@EnableConfigurationProperties({BillingProperties.class, LedgerProperties.class})
class LedgerConfiguration {

    /** The publisher's patience with an index not committed yet (see {@link #eventStorageEngine}, decision 054). */
    static final int MAX_GAP_OFFSET = 10_000;
    static final int GAP_TIMEOUT_MILLIS = 60_000;
    /** Partitions of the request topic: at most this many intake consumers decide batches at once. */
    static final int REQUEST_PARTITIONS = 12;
    /** The most events one request stores: a renew across a price change that uses the balance up stores four. */
    static final int MOST_EVENTS_PER_REQUEST = 4;

    /**
     * Every intake consumer deciding a full batch at once holds fewer uncommitted indexes than the publisher waits
     * for (decision 054); a larger {@code max.poll.records} could have a batch's events skipped for good. Judged by
     * the consumer settings the intake is made with, so a raw {@code spring.kafka.consumer.properties} or
     * {@code spring.kafka.properties} entry counts as much as {@code max-poll-records}.
     */
    static void requireBatchesWithinGapOffset(Map<String, Object> consumerSettings) {
        Object setting = consumerSettings.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        int batch = setting == null
                ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(setting.toString().trim());
        long held = (long) batch * MOST_EVENTS_PER_REQUEST * REQUEST_PARTITIONS;
        if (held >= MAX_GAP_OFFSET) {
            throw new IllegalStateException("The intake's max.poll.records is " + batch + ": " + batch
                    + " requests × " + MOST_EVENTS_PER_REQUEST + " events × " + REQUEST_PARTITIONS + " consumers may"
                    + " hold " + held + " event indexes uncommitted, and the publisher skips an index once "
                    + MAX_GAP_OFFSET + " later ones are read; use at most "
                    + (MAX_GAP_OFFSET - 1) / (MOST_EVENTS_PER_REQUEST * REQUEST_PARTITIONS)
                    + " (spring.kafka.consumer.max-poll-records, decision 054)");
        }
    }

    @Bean
    SessionRules sessionRules(BillingProperties billing, LedgerProperties ledger) {
        return new SessionRules(billing.mode(), billing.cycle().toSeconds(), ledger.maxActiveSessions(),
                ledger.authorizationTimeout().toMillis());
    }

    /** Start-up refuses a database that could undo a commit the ledger has answered (decision 046). */
    @Bean
    DurableCommits durableLedgerCommits(DataSource dataSource) {
        return new DurableCommits(dataSource, "the ledger's database");
    }

    /** The connection of the Spring transaction under way (the intake's, the publisher's), else one of the pool. */
    @Bean
    ConnectionProvider ledgerConnections(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    /**
     * The event store: Axon's JDBC storage engine on the tables its JPA engine made (V1), so that appending a
     * request's events and reading them back (accounts, the publisher) costs plain batched JDBC statements instead of
     * Hibernate's entities, flushes and query translation (decision 031). It joins the intake's transaction: Spring
     * hands it the transaction's own connection.
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer, @Qualifier("eventSerializer") Serializer events,
                                          PersistenceExceptionResolver duplicates, ConnectionProvider connections,
                                          TransactionManager transactions,
                                          org.axonframework.config.Configuration axon, KafkaProperties kafka,
                                          ObjectProvider<SslBundles> ssl) {
        requireBatchesWithinGapOffset(kafka.buildConsumerProperties(ssl.getIfAvailable()));
        return JdbcEventStorageEngine.builder()
                .schema(EventTables.schema("domain_event_entry"))
                .dataType(byte[].class)
                .snapshotSerializer(serializer)
                .eventSerializer(events)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .persistenceExceptionResolver(duplicates)
                .connectionProvider(connections)
                .transactionManager(transactions)
                // Axon's defaults, named because the intake's transactions are sized by them (decision 054): the
                // publisher stops waiting for an index once this many later ones are read, or once events after it
                // are this old. An index an open transaction holds longer is skipped for good when it commits.
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout(GAP_TIMEOUT_MILLIS)
                .build();
    }

    /**
     * No correlation data on the ledger's messages: in place of Axon's default provider, which copied a
     * {@code traceId} and a {@code correlationId} onto every event's metadata, stored and published with it and read by
     * nothing (decision 038). An event's metadata is empty.
     */
    @Bean
    CorrelationDataProvider noCorrelationData() {
        return message -> Map.of();
    }

    /**
     * Accounts are event-sourced, snapshotted every {@code snapshot-threshold} events, and cached: up to
     * {@code account-cache-size} recently used accounts stay loaded (see {@link BoundedAccountCache}). A cached
     * account is checked against the event store before use (see {@link VersionCheckedCachingRepository}); an intake
     * batch reads its accounts' stored versions in one query.
     */
    @Bean
    VersionCheckedCachingRepository<UserAccount> userAccountRepository(EventStore eventStore, Snapshotter snapshotter,
                                                                       LedgerProperties ledger, JdbcTemplate jdbc,
                                                                       ParameterResolverFactory parameterResolvers,
                                                                       HandlerDefinition handlerDefinition) {
        Cache cache = new BoundedAccountCache(ledger.accountCacheSize());
        EventSourcingRepository.Builder<UserAccount> builder = EventSourcingRepository.builder(UserAccount.class)
                .parameterResolverFactory(parameterResolvers)
                .handlerDefinition(handlerDefinition)
                .snapshotTriggerDefinition(
                        new EventCountSnapshotTriggerDefinition(snapshotter, ledger.snapshotThreshold()));
        return new VersionCheckedCachingRepository<>(builder, eventStore, cache,
                new JdbcStoredVersions(jdbc));
    }

    /**
     * The price list, stored like an account: an intake batch that changed it and has not committed yet is not
     * waited for by another batch's price change (which would deadlock until Axon's lock timeout), but refused as
     * transient (see {@link VersionCheckedCachingRepository}). Its one entry stays cached.
     */
    @Bean
    VersionCheckedCachingRepository<PriceList> priceListRepository(EventStore eventStore,
                                                                   ParameterResolverFactory parameterResolvers,
                                                                   HandlerDefinition handlerDefinition) {
        return new VersionCheckedCachingRepository<>(EventSourcingRepository.builder(PriceList.class)
                .parameterResolverFactory(parameterResolvers)
                .handlerDefinition(handlerDefinition), eventStore, new BoundedAccountCache(1));
    }

    /**
     * Account snapshots are taken on a thread of their own, after the batch that made them due has committed. It
     * depends on the data source so that it is stopped first at shutdown, not while a snapshot still writes.
     */
    @Bean(destroyMethod = "close")
    @DependsOn("dataSource")
    SnapshotThread snapshotThread(MeterRegistry meters) {
        return new SnapshotThread(meters);
    }

    /** Axon Spring Boot's snapshotter, but with {@link SnapshotThread} instead of the thread that made it due. */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration axon,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolvers,
                                                    EventStore eventStore, TransactionManager transactions,
                                                    SnapshotterSpanFactory spans, SnapshotThread snapshotThread) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(axon::repository)
                .transactionManager(transactions)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolvers)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spans)
                .executor(snapshotThread.afterTransaction())
                .build();
    }

    /** A {@code LedgerOperation} is for the request's user's account; an {@code ExpireSession} names its own. */
    @Bean
    CommandTargetResolver ledgerCommandTargets() {
        return LedgerCommands.TARGETS;
    }

    /** Every price change is for the one price list, whoever asked. */
    @Bean
    CommandTargetResolver priceListTarget() {
        return PriceList.TARGET;
    }

    /**
     * Only account snapshots of the current shape are read: an older one (another class or revision) is skipped and
     * the account rebuilt from its events, and the next snapshot is of the current shape.
     */
    @Bean
    SnapshotFilter userAccountSnapshots() {
        return snapshot -> {
            SerializedType type = snapshot.getPayload().getType();
            return !type.getName().endsWith(".UserAccount") || UserAccount.class.getName().equals(type.getName())
                    && UserAccount.SNAPSHOT_REVISION.equals(type.getRevision());
        };
    }

    /** Stores each ledger event with its ledger-api revision. */
    @Bean
    RevisionResolver revisionResolver() {
        return new LedgerEventRevisions();
    }

    @Bean
    EventUpcaster unrevisedEventUpcaster() {
        return new UnrevisedEventUpcaster();
    }
}
