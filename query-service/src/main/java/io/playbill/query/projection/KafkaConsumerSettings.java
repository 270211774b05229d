package io.playbill.query.projection;

import io.playbill.service.kafka.AuthenticatedKafka;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.DefaultConsumerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings every Kafka consumer of the query service starts from, Axon's projection source included:
 * connection and security from {@code spring.kafka.*} (bootstrap servers, {@code security.protocol},
 * {@code sasl.*}, {@code ssl.*}), like the other services' clients, then Axon's own {@code axon.kafka.*} (client
 * id, deserializers) on top. Axon's auto-configured consumer factory reads {@code axon.kafka.*} only, so it would
 * ignore the cluster's security settings. No consumer here uses a group: they all {@code assign()} partitions.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConsumerSettings {

    private final Map<String, Object> settings;

    KafkaConsumerSettings(KafkaProperties spring, ObjectProvider<SslBundles> ssl,
                          org.axonframework.extensions.kafka.KafkaProperties axon) {
        Map<String, Object> config = spring.buildConsumerProperties(ssl.getIfAvailable());
        Map<String, Object> own = axon.buildConsumerProperties();
        own.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        config.putAll(own);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.settings = Collections.unmodifiableMap(config);
    }

    /** A fresh, modifiable copy. */
    Map<String, Object> newConfig() {
        return new HashMap<>(settings);
    }

    /** Start-up refuses a broker anyone could write to, outside dev mode (decision 053). */
    @Bean
    AuthenticatedKafka authenticatedQueryKafka(KafkaProperties spring, ObjectProvider<SslBundles> ssl,
                                               @Value("${playbill.dev-mode:false}") boolean devMode) {
        return AuthenticatedKafka.of("query-service", spring, ssl, devMode, List.of(newConfig()));
    }

    /** The projections' source reads the topic through this factory. */
    @Bean
    ConsumerFactory<String, byte[]> axonKafkaConsumerFactory() {
        return new DefaultConsumerFactory<>(newConfig());
    }
}
