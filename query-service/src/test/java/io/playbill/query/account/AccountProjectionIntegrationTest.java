package io.playbill.query.account;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Ledger events on the real topic, in the ledger's own wire format, end up in the account read model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccountProjectionIntegrationTest {

    @Autowired
    KafkaMessageConverter<String, byte[]> converter;
    @Autowired
    TestRestTemplate http;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        var infra = PlaybillTestInfrastructure.shared();
        var db = infra.createDatabase("query");
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("spring.kafka.bootstrap-servers", infra::kafkaBootstrapServers);
    }

    @Test
    void projectsBalancesAndIgnoresRedeliveredEvents() throws Exception {
        String user = "bob-" + UUID.randomUUID();
        var opened = event(user, 0, new AccountOpened(user, 1_000L));
        var deposit = event(user, 1, new FundsDeposited(user, "pay-1", 700, 700, 2_000L));
        var secondDeposit = event(user, 2, new FundsDeposited(user, "pay-2", 300, 1000, 3_000L));

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                PlaybillTestInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (var message : new Object[]{opened, deposit, secondDeposit, deposit}) {
                producer.send(converter.createKafkaMessage((GenericDomainEventMessage<?>) message,
                        LedgerTopics.EVENTS)).get();
            }
        }

        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<?, ?> body = Map.of();
        while (System.nanoTime() < until) {
            var response = http.getForEntity("/accounts/" + user, Map.class);
            body = response.getBody();
            if (response.getStatusCode().is2xxSuccessful() && Long.valueOf(1000).equals(toLong(body.get("balance")))) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(toLong(body.get("balance"))).as("the redelivered first deposit must not roll the balance back")
                .isEqualTo(1000L);
        Thread.sleep(500);
        assertThat(toLong(http.getForEntity("/accounts/" + user, Map.class).getBody().get("balance"))).isEqualTo(1000L);
    }

    private static GenericDomainEventMessage<?> event(String user, long sequence, Object payload) {
        return new GenericDomainEventMessage<>("UserAccount", user, sequence, payload);
    }

    private static Long toLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
