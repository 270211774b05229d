package io.playbill.gateway.cloud;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.cloud.billing.BillingCatchUp;
import io.playbill.gateway.cloud.billing.CloudBilling;
import io.playbill.gateway.cloud.billing.ServerHeartbeat;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.LedgerEventsListener;
import io.playbill.gateway.cloud.stop.ParkedLedgerEvents;
import io.playbill.gateway.cloud.stop.SessionEndStopper;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.gateway.cloud.stop.StopperAssignment;
import io.playbill.gateway.ledger.LedgerProperties;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.service.parking.Failures;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Stops cloud games whose ledger session ended for lack of balance or a time-out. Needs both the cloud feature and
 * the ledger (billing modes under/over: in mode none nothing ends sessions). All gateway instances share the consumer
 * group {@value #GROUP_ID}, so each event is handled by one of them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = "enabled", havingValue = "true")
@Conditional(BillingModeCondition.UsesLedger.class)
@EnableConfigurationProperties(KafkaProperties.class)
public class CloudStopperConfiguration {

    static final String GROUP_ID = "playbill-gateway-cloud-stopper";
    /** Attempts at a record that fails on its own before it is parked. */
    static final int POISON_ATTEMPTS = 3;
    /** A custom health status, ordered between DOWN and UP in application.yml and answered with HTTP 200. */
    static final Status DEGRADED = new Status("DEGRADED", "Items are parked for an operator (docs/operations.md)");

    @Bean
    SessionEndStopper sessionEndStopper(TencentGs gs, CloudSessions sessions, StopRecords records,
                                        PlatformTransactionManager transactions, Clock clock, CloudProperties cloud,
                                        MeterRegistry meters) {
        CloudProperties.Stopper stopper = cloud.stopper();
        return new SessionEndStopper(gs, sessions, records, new TransactionTemplate(transactions), clock,
                stopper.maxAttempts(), stopper.firstRetryDelay(), stopper.maxRetryDelay(), stopper.concurrency(),
                meters);
    }

    /** Every instance retries the stops GS did not confirm, each claimed by one instance at a time. */
    @Bean
    RepeatingTask cloudStopRetries(SessionEndStopper stopper) {
        return new RepeatingTask("cloud-stop-retries", Duration.ofSeconds(1), stopper::retryDue);
    }

    /** Every instance forgets finished stops older than the retention, a batch a minute (sessions end all day). */
    @Bean
    RepeatingTask cloudStopRetention(StopRecords stops, CloudProperties cloud, Clock clock) {
        return new RepeatingTask("cloud-stop-retention", Duration.ofMinutes(1),
                () -> stops.forgetFinishedBefore(clock.instant().minus(cloud.stopper().retention()), 5_000));
    }

    @Bean
    ServerHeartbeat serverHeartbeat(CloudSessions sessions, CloudBilling billing, SessionEndStopper stopper,
                                    Clock clock, CloudProperties cloud, MeterRegistry meters) {
        return new ServerHeartbeat(sessions, billing, stopper, clock, cloud.heartbeat().minRenewInterval(),
                cloud.heartbeat().maxPlaytime(), meters);
    }

    /** Every instance renews the due games of clients without the token heartbeat, each claimed by one instance. */
    @Bean
    RepeatingTask cloudHeartbeat(ServerHeartbeat heartbeat, CloudProperties cloud) {
        return new RepeatingTask("cloud-heartbeat", cloud.heartbeat().interval(), heartbeat::renewDue);
    }

    @Bean
    BillingCatchUp billingCatchUp(CloudSessions sessions, CloudBilling billing, ServerHeartbeat heartbeat,
                                  StopRecords stops, Clock clock, LedgerProperties ledger, MeterRegistry meters) {
        return new BillingCatchUp(sessions, billing, heartbeat, stops, clock,
                BillingCatchUp.graceFor(ledger.timeout()), meters);
    }

    /** Every instance starts the billing of games whose start died before it could, each claimed by one instance. */
    @Bean
    RepeatingTask cloudBillingCatchUp(BillingCatchUp catchUp, CloudProperties cloud) {
        return new RepeatingTask("cloud-billing-catch-up", cloud.heartbeat().interval(), catchUp::catchUp);
    }

    @Bean
    StopperAssignment stopperAssignment() {
        return new StopperAssignment();
    }

    @Bean
    LedgerEventsListener ledgerEventsListener(SessionEndStopper stopper) {
        return new LedgerEventsListener(stopper);
    }

    @Bean
    ParkedLedgerEvents parkedLedgerEvents(JdbcTemplate jdbc, LedgerEventsListener listener) {
        return new ParkedLedgerEvents(jdbc, listener, POISON_ATTEMPTS);
    }

    /**
     * The {@code parked} health contributor (DEGRADED, still HTTP 200, while anything waits for an operator: the
     * ledger-events records the stopper parked, and the stops GS did not confirm after every retry) and the
     * {@code playbill.cloud.stopper.parked} gauge of the records (the stops have {@code playbill.cloud.stops.parked}).
     */
    @Bean
    HealthIndicator parkedHealthIndicator(ParkedLedgerEvents parked, StopRecords stops, MeterRegistry meters) {
        Gauge.builder("playbill.cloud.stopper.parked", () -> countOrNaN(parked::count))
                .description("Ledger-events records the cloud stopper parked for an operator").register(meters);
        return () -> {
            long records;
            long gsStops;
            try {
                records = parked.count();
                gsStops = stops.count(StopRecords.Result.PARKED);
            } catch (DataAccessException e) {
                // The database's own contributor says it is down; this one cannot tell.
                return Health.unknown().withDetail("error", e.getMostSpecificCause().toString()).build();
            }
            return (records + gsStops == 0 ? Health.up() : Health.status(DEGRADED))
                    .withDetail("cloud-stopper", records).withDetail("cloud-stops", gsStops).build();
        };
    }

    private static double countOrNaN(java.util.function.LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }

    @Bean
    KafkaMessageListenerContainer<String, byte[]> cloudStopperContainer(KafkaProperties kafka,
            ObjectProvider<SslBundles> ssl, LedgerEventsListener listener, ParkedLedgerEvents parked,
            StopperAssignment assignment) {
        Map<String, Object> config = kafka.buildConsumerProperties(ssl.getIfAvailable());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        // The topic is kept forever: a new group must not replay history and stop games of long-ended sessions.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Most events are charges and renewals this listener skips: fetch them in batches (a game's stop may wait
        // this long more) and commit once a batch, not once an event. A batch re-read after a crash is harmless:
        // an end already recorded is recorded once (SessionEndStopper).
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // A killed gateway's partitions go to the others after 10 s, not Kafka's default 45 s: until then the games
        // whose sessions end on them play on unpaid.
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties properties = new ContainerProperties(LedgerTopics.EVENTS);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setConsumerRebalanceListener(assignment);
        properties.setMessageListener(listener);
        var container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setBeanName("cloud-stopper");
        DefaultErrorHandler errors = new DefaultErrorHandler(parked::park);
        errors.setBackOffFunction((record, failure) -> backOffFor(failure));
        container.setCommonErrorHandler(errors);
        return container;
    }

    /**
     * How a record that failed is retried before it is parked. The record is the hand-off (GS failures are retried
     * from {@code cloud_stop}, not here), so only recording the end fails here. The database unreachable: retried
     * without end, parking nothing, since every record would fail alike. A record that cannot be read: parked at
     * once. Anything else: {@value #POISON_ATTEMPTS} attempts, then parked.
     */
    private static BackOff backOffFor(Exception failure) {
        if (LedgerEventsListener.isUndecodable(failure)) {
            return new FixedBackOff(0, 0);
        }
        if (Failures.isTransient(failure)) {
            ExponentialBackOff outage = new ExponentialBackOff(500, 2.0);
            outage.setMaxInterval(10_000);
            outage.setMaxElapsedTime(Long.MAX_VALUE);
            return outage;
        }
        return new FixedBackOff(500, POISON_ATTEMPTS - 1);
    }
}
