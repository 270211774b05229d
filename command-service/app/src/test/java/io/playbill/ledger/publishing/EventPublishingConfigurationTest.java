package io.playbill.ledger.publishing;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.axonframework.extensions.kafka.eventhandling.producer.DefaultProducerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

import static org.assertj.core.api.Assertions.assertThat;

class EventPublishingConfigurationTest {

    /**
     * The publisher sends a batch's events without waiting between them, so its producer must be idempotent, which
     * needs acks from all replicas. Another setting must not win: the producer would refuse the mix at its first
     * send, and the dead-letter policy would park every event (decision 050).
     */
    @Test
    void thePublishersProducerIsIdempotentWithAcksFromAllReplicasWhateverTheSpringSettingsSay() {
        KafkaProperties spring = new KafkaProperties();
        spring.getProducer().setAcks("1");
        spring.getProducer().getProperties().put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");

        var factory = (DefaultProducerFactory<String, byte[]>) new EventPublishingConfiguration()
                .axonKafkaProducerFactory(spring, new DefaultListableBeanFactory().getBeanProvider(SslBundles.class),
                        new org.axonframework.extensions.kafka.KafkaProperties());

        assertThat(factory.configurationProperties())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try {
            assertThat(factory.createProducer()).as("the producer accepts its configuration").isNotNull();
        } finally {
            factory.shutDown();
        }
    }
}
