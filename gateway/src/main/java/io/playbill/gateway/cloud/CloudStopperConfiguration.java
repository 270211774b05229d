package io.playbill.gateway.cloud;

import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.LedgerEventsListener;
import io.playbill.gateway.cloud.stop.SessionEndStopper;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Clock;
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

    /** A failure other than GS's (which is recorded) is the database's: retry a few times, then log and move on. */
    private static final FixedBackOff DATABASE_RETRIES = new FixedBackOff(1_000, 5);

    @Bean
    SessionEndStopper sessionEndStopper(TencentGs gs, CloudSessions sessions, JdbcTemplate jdbc, Clock clock,
                                        CloudProperties cloud) {
        return new SessionEndStopper(gs, sessions, jdbc, clock, cloud.stopper().maxEventAge());
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
        container.setCommonErrorHandler(new DefaultErrorHandler(DATABASE_RETRIES));
        return container;
    }
}
