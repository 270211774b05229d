package io.playbill.ledger.health;

import io.playbill.ledger.api.LedgerTopics;
import io.playbill.service.health.BrokerHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrokerHealthConfiguration {

    /** Health {@code broker}, part of readiness (application.yml): the ledger may read the request topic. */
    @Bean
    BrokerHealthIndicator brokerHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> ssl) {
        return new BrokerHealthIndicator(kafka, ssl, "playbill-ledger-health", LedgerTopics.REQUESTS);
    }
}
