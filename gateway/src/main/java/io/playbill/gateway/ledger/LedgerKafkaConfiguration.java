package io.playbill.gateway.ledger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.billing.SessionBilling;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.service.health.BrokerHealthIndicator;
import io.playbill.service.kafka.AuthenticatedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

import java.util.List;
import java.util.Map;

/**
 * The Kafka clients, created only in billing modes under and over (mode none has no Kafka bean at all).
 * Connection settings come from Spring Boot's {@code spring.kafka.*}.
 *
 * <p>Reply routing across gateway instances (decision 035): the instances share one consumer group on the replies
 * topic ({@value #REPLY_GROUP}, whatever {@code spring.kafka.consumer.group-id} says), so each reads only the
 * partitions the group gave it, and each request names one of them in {@code kafka_replyPartition} beside the reply
 * topic and correlation id ({@code kafka_replyTopic}, {@code kafka_correlationId}); the ledger answers there.
 * {@link PendingReplies} completes the waiting request by correlation id.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(BillingModeCondition.UsesLedger.class)
@EnableConfigurationProperties({KafkaProperties.class, LedgerProperties.class})
public class LedgerKafkaConfiguration {

    /** Within the prefix the broker's ACLs grant the gateway ({@code PlaybillAcls.GATEWAY_REPLY_GROUP_PREFIX}). */
    static final String REPLY_GROUP = "playbill-gateway-replies-shared";

    /** The reply consumer starts in an early lifecycle phase, long before the web server accepts requests. */
    private static final int REPLY_CONSUMER_PHASE = 0;

    @Bean
    ProducerFactory<String, String> ledgerProducerFactory(KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                                          LedgerProperties ledger) {
        Map<String, Object> config = kafka.buildProducerProperties(ssl.getIfAvailable());
        // Without broker metadata, send() blocks the calling request thread; never longer than the reply wait.
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ledger.timeout().toMillis());
        // Requests of concurrent players share a produce request instead of one each (decision 026).
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, (int) ledger.linger().toMillis());
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * Start-up refuses a broker anyone could write to, outside dev mode (decision 053). The cloud stopper, the
     * gateway's other Kafka client, exists only with billing through the ledger, so this covers it.
     */
    @Bean
    AuthenticatedKafka authenticatedLedgerClientKafka(KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
            @Value("${playbill.dev-mode:false}") boolean devMode) {
        return AuthenticatedKafka.of("the gateway", kafka, ssl, devMode, List.of());
    }

    @Bean
    ReplyPartitionAssignment ledgerReplyAssignment() {
        return new ReplyPartitionAssignment();
    }

    @Bean
    RequestIds ledgerRequestIds() {
        return new RequestIds();
    }

    @Bean
    KafkaTemplate<String, String> ledgerRequests(ProducerFactory<String, String> ledgerProducerFactory) {
        var template = new KafkaTemplate<>(ledgerProducerFactory);
        // No timer per send: the request's own http.server.requests timer measures the round trip.
        template.setMicrometerEnabled(false);
        return template;
    }

    @Bean
    PendingReplies ledgerPendingReplies() {
        return new PendingReplies();
    }

    /** Near zero while the instances keep their partitions; more than that means replies are read for nothing. */
    @Bean
    MeterBinder ledgerUnmatchedReplies(PendingReplies ledgerPendingReplies) {
        return registry -> FunctionCounter.builder("playbill.gateway.ledger.replies.unmatched", ledgerPendingReplies,
                        PendingReplies::unmatched)
                .description("Ledger replies read that no waiting request matched: late (after the request's timeout)"
                        + " or another instance's, read after its reply partition moved here")
                .register(registry);
    }

    @Bean
    KafkaMessageListenerContainer<String, String> ledgerReplyConsumer(KafkaProperties kafka,
                                                                      ObjectProvider<SslBundles> ssl,
                                                                      ReplyPartitionAssignment assignment,
                                                                      PendingReplies ledgerPendingReplies,
                                                                      LedgerProperties ledger) {
        Map<String, Object> config = kafka.buildConsumerProperties(ssl.getIfAvailable());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, REPLY_GROUP);
        // A partition moves only when an instance joins or leaves, and only as far as the balance needs.
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // A killed instance's partitions are reassigned once its session lapses; until then an instance started in
        // its place waits for partitions of its own. 10 s instead of Kafka's 45 s.
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        if (ledger.replyMemberId() != null) {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, REPLY_GROUP + "-" + ledger.replyMemberId());
        }
        // Replies written before this instance read a partition answer requests of another instance: never read
        // them. No offset is committed, so a partition always starts at its end.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new StringDeserializer());
        ContainerProperties properties = new ContainerProperties(LedgerTopics.REPLIES);
        // Manual acks that never come, and no commit of the position on assignment: the container commits nothing.
        // Its defaults committed every poll's offsets synchronously, a broker round trip on this thread before the
        // next reply could be read.
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);
        properties.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
        properties.setConsumerRebalanceListener(assignment);
        properties.setMessageListener(ledgerPendingReplies);
        var container = new KafkaMessageListenerContainer<>(consumers, properties);
        container.setBeanName("ledger-replies");
        container.setPhase(REPLY_CONSUMER_PHASE);
        return container;
    }

    @Bean
    ReplyConsumerReadiness ledgerReplyReadiness(ReplyPartitionAssignment assignment,
                                                KafkaMessageListenerContainer<String, String> ledgerReplyConsumer) {
        return new ReplyConsumerReadiness(assignment, ledgerReplyConsumer.getPhase());
    }

    /**
     * Health {@code ledgerReplies}, part of readiness (application.yml): this instance reads a partition of the replies
     * topic. An instance beyond the topic's partition count reads none, and would answer every ledger call 503.
     */
    @Bean
    HealthIndicator ledgerRepliesHealthIndicator(ReplyPartitionAssignment assignment) {
        return new ReplyPartitionHealth(assignment);
    }

    /** Health {@code broker}, part of readiness (application.yml): the gateway may write the request topic. */
    @Bean
    BrokerHealthIndicator brokerHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> ssl) {
        return new BrokerHealthIndicator(kafka, ssl, "playbill-gateway-health", LedgerTopics.REQUESTS);
    }

    @Bean
    Ledger kafkaLedger(KafkaTemplate<String, String> ledgerRequests, PendingReplies ledgerPendingReplies,
                       ReplyPartitionAssignment assignment, RequestIds ledgerRequestIds, LedgerProperties ledger) {
        return new KafkaLedger(ledgerRequests, ledgerPendingReplies, assignment, ledgerRequestIds, ledger.timeout(),
                ledger.retryAfter());
    }

    @Bean
    SessionBilling ledgerSessionBilling(Ledger ledger) {
        return new LedgerSessionBilling(ledger);
    }
}
