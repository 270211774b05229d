package io.playbill.ledger.account;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How accounts are stored and which rules they apply. */
@Configuration
@EnableConfigurationProperties({BillingProperties.class, LedgerProperties.class})
class AccountConfiguration {

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
}
