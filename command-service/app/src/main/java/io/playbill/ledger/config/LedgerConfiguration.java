package io.playbill.ledger.config;

import io.playbill.ledger.axon.BoundedAccountCache;
import io.playbill.ledger.axon.LedgerCommandTargets;
import io.playbill.ledger.axon.PriceList;
import io.playbill.ledger.axon.UserAccount;
import io.playbill.ledger.axon.VersionCheckedCachingRepository;
import io.playbill.ledger.axon.upcasting.LedgerEventRevisions;
import io.playbill.ledger.axon.upcasting.UnrevisedEventUpcaster;
import io.playbill.ledger.domain.SessionRules;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the ledger's domain is wired into Axon: the rules accounts apply, how accounts are stored, cached and
 * snapshotted, which aggregate a command is for, and how stored events are revised and upcast.
 */
@Configuration
@EnableConfigurationProperties({BillingProperties.class, LedgerProperties.class})
class LedgerConfiguration {

    @Bean
    SessionRules sessionRules(BillingProperties billing, LedgerProperties ledger) {
        return new SessionRules(billing.mode(), billing.cycle().toSeconds(), ledger.maxActiveSessions(),
                ledger.authorizationTimeout().toMillis());
    }

    /**
     * Accounts are event-sourced, snapshotted every {@code snapshot-threshold} events, and cached: up to
     * {@code account-cache-size} recently used accounts stay loaded (see {@link BoundedAccountCache}). A cached
     * account is checked against the event store before use (see {@link VersionCheckedCachingRepository}).
     */
    @Bean
    VersionCheckedCachingRepository<UserAccount> userAccountRepository(EventStore eventStore, Snapshotter snapshotter,
                                                                       LedgerProperties ledger,
                                                                       ParameterResolverFactory parameterResolvers,
                                                                       HandlerDefinition handlerDefinition) {
        Cache cache = new BoundedAccountCache(ledger.accountCacheSize());
        EventSourcingRepository.Builder<UserAccount> builder = EventSourcingRepository.builder(UserAccount.class)
                .parameterResolverFactory(parameterResolvers)
                .handlerDefinition(handlerDefinition)
                .snapshotTriggerDefinition(
                        new EventCountSnapshotTriggerDefinition(snapshotter, ledger.snapshotThreshold()));
        return new VersionCheckedCachingRepository<>(builder, eventStore, cache);
    }

    /** A {@code LedgerOperation} is for the request's user's account; an {@code ExpireSession} names its own. */
    @Bean
    CommandTargetResolver ledgerCommandTargets() {
        return new LedgerCommandTargets();
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
