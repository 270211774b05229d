package io.playbill.gateway.cloud;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.cloud.billing.CloudBilling;
import io.playbill.gateway.cloud.billing.ServerHeartbeat;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.LedgerEventsListener;
import io.playbill.gateway.cloud.stop.SessionEndStopper;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.gateway.cloud.stop.StopperAssignment;
import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;

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

    @Bean
    SessionEndStopper sessionEndStopper(TencentGs gs, CloudSessions sessions, StopRecords records, Clock clock,
                                        CloudProperties cloud, MeterRegistry meters) {
        CloudProperties.Stopper stopper = cloud.stopper();
        return new SessionEndStopper(gs, sessions, records, clock, stopper.maxAttempts(), stopper.firstRetryDelay(),
                stopper.maxRetryDelay(), meters);
    }

    /** Every instance retries the stops GS did not confirm, each claimed by one instance at a time. */
    @Bean
    RepeatingTask cloudStopRetries(SessionEndStopper stopper) {
        return new RepeatingTask("cloud-stop-retries", Duration.ofSeconds(1), stopper::retryDue);
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
    StopperAssignment stopperAssignment() {
        return new StopperAssignment();
    }

    @Bean
    KafkaMessageListenerContainer<String, byte[]> cloudStopperContainer(KafkaProperties kafka,
            ObjectProvider<SslBundles> ssl, SessionEndStopper stopper, StopperAssignment assignment) {
        Map<String, Object> config = kafka.buildConsumerProperties(ssl.getIfAvailable());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        // The topic is kept forever: a new group must not replay history and stop games of long-ended sessions.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties properties = new ContainerProperties(LedgerTopics.EVENTS);
        properties.setAckMode(ContainerProperties.AckMode.RECORD);
        properties.setConsumerRebalanceListener(assignment);
        properties.setMessageListener(new LedgerEventsListener(stopper));
        var container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setBeanName("cloud-stopper");
        container.setCommonErrorHandler(new DefaultErrorHandler(databaseRetries()));
        return container;
    }

    /**
     * Recording a session end only fails when the database does: keep the event and retry (up to ~10 minutes) rather
     * than lose a stop. The record is the hand-off; GS failures are retried from there, not here.
     */
    private static ExponentialBackOff databaseRetries() {
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Duration.ofMinutes(10).toMillis());
        return backOff;
    }
}
