package io.playbill.gateway.ledger;

import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.billing.SessionBilling;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.service.health.BrokerHealthIndicator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import java.util.Map;
import java.util.UUID;

/**
 * The Kafka clients, created only in billing modes under and over (mode none has no Kafka bean at all).
 * Connection settings come from Spring Boot's {@code spring.kafka.*}.
 *
 * <p>Reply routing across gateway instances: every instance reads the whole replies topic in a consumer group of
 * its own ({@value #REPLY_GROUP_PREFIX} + a random UUID, whatever {@code spring.kafka.consumer.group-id} says), so
 * each sees every reply and completes only those whose correlation id it is waiting for; the template ignores the
 * rest quietly ({@code sharedReplyTopic}). Each request carries the reply topic and correlation id as headers
 * ({@code kafka_replyTopic}, {@code kafka_correlationId}), which the ledger copies onto its reply.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(BillingModeCondition.UsesLedger.class)
@EnableConfigurationProperties({KafkaProperties.class, LedgerProperties.class})
public class LedgerKafkaConfiguration {

    static final String REPLY_GROUP_PREFIX = "playbill-gateway-replies-";

    /** The reply consumer starts in an early lifecycle phase, long before the web server accepts requests. */
    private static final int REPLY_CONSUMER_PHASE = 0;

    @Bean
    ProducerFactory<String, String> ledgerProducerFactory(KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                                          LedgerProperties ledger) {
        Map<String, Object> config = kafka.buildProducerProperties(ssl.getIfAvailable());
        // Without broker metadata, send() blocks the calling request thread; never longer than the reply wait.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ledger.timeout().toMillis());
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new StringSerializer());
    }

    @Bean
    ReplyPartitionAssignment ledgerReplyAssignment() {
        return new ReplyPartitionAssignment();
    }

    @Bean
    ReplyingKafkaTemplate<String, String, String> ledgerTemplate(ProducerFactory<String, String> ledgerProducerFactory,
                                                                 KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                                                 LedgerProperties ledger,
                                                                 ReplyPartitionAssignment assignment) {
        var template = new ReplyingKafkaTemplate<>(ledgerProducerFactory, replyContainer(kafka, ssl, assignment));
        template.setSharedReplyTopic(true);
        template.setDefaultReplyTimeout(ledger.timeout());
        template.setPhase(REPLY_CONSUMER_PHASE);
        return template;
    }

    @Bean
    ReplyConsumerReadiness ledgerReplyReadiness(ReplyPartitionAssignment assignment,
                                                ReplyingKafkaTemplate<String, String, String> ledgerTemplate) {
        return new ReplyConsumerReadiness(assignment, ledgerTemplate);
    }

    /** Health {@code broker}, part of readiness (application.yml): the gateway may write the request topic. */
    @Bean
    BrokerHealthIndicator brokerHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> ssl) {
        return new BrokerHealthIndicator(kafka, ssl, "playbill-gateway-health", LedgerTopics.REQUESTS);
    }

    @Bean
    Ledger kafkaLedger(ReplyingKafkaTemplate<String, String, String> ledgerTemplate, LedgerProperties ledger) {
        return new KafkaLedger(ledgerTemplate, ledger.retryAfter());
    }

    @Bean
    SessionBilling ledgerSessionBilling(Ledger ledger) {
        return new LedgerSessionBilling(ledger);
    }

    private static KafkaMessageListenerContainer<String, String> replyContainer(KafkaProperties kafka,
            ObjectProvider<SslBundles> ssl, ReplyPartitionAssignment assignment) {
        Map<String, Object> config = kafka.buildConsumerProperties(ssl.getIfAvailable());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, REPLY_GROUP_PREFIX + UUID.randomUUID());
        // Replies to requests sent before this instance started are nobody's here.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new StringDeserializer());
        ContainerProperties properties = new ContainerProperties(LedgerTopics.REPLIES);
        properties.setConsumerRebalanceListener(assignment);
        var container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setBeanName("ledger-replies");
        return container;
    }
}
