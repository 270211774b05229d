package io.playbill.query.health;

import io.playbill.query.projection.LedgerTopic;
import io.playbill.service.health.BrokerHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrokerHealthConfiguration {

    /** Health {@code broker}, part of readiness (application.yml): the service may read the events topic. */
    @Bean
    BrokerHealthIndicator brokerHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> ssl,
                                                LedgerTopic topic) {
        return new BrokerHealthIndicator(kafka, ssl, "playbill-query-health", topic.name());
    }
}
