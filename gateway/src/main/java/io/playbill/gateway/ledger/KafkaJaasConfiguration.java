package io.playbill.gateway.ledger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.security.jaas.KafkaJaasLoginModuleInitializer;

import java.io.IOException;

/**
 * {@code spring.kafka.jaas.*}: the Kafka clients' login as Spring Boot configures it for the other services. The
 * gateway leaves out Boot's Kafka auto-configuration (mode none has no Kafka at all), which is the only place that
 * applies these settings; without this, a gateway configured the way operations.md describes passed its start-up
 * check and then could not log in to the broker.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.kafka.jaas.enabled", havingValue = "true")
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaJaasConfiguration {

    @Bean
    KafkaJaasLoginModuleInitializer kafkaJaasInitializer(KafkaProperties kafka) throws IOException {
        KafkaJaasLoginModuleInitializer login = new KafkaJaasLoginModuleInitializer();
        KafkaProperties.Jaas settings = kafka.getJaas();
        if (settings.getControlFlag() != null) {
            login.setControlFlag(settings.getControlFlag());
        }
        if (settings.getLoginModule() != null) {
            login.setLoginModule(settings.getLoginModule());
        }
        login.setOptions(settings.getOptions());
        return login;
    }
}
