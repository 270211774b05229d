package io.playbill.gateway.admin;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Billing mode none: no ledger, no Kafka client at all, and the money and price operations say so. */
class NoneModeAdminTest extends NoneModeGatewayTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void noKafkaClientExists() {
        assertThat(context.getBeansOfType(ProducerFactory.class)).isEmpty();
        assertThat(context.getBeansOfType(ConsumerFactory.class)).isEmpty();
        assertThat(context.getBeansOfType(KafkaTemplate.class)).isEmpty();
        assertThat(context.getBeansOfType(KafkaProperties.class)).isEmpty();
    }

    @Test
    void moneyAndPriceOperationsAnswerBillingDisabled() {
        String admin = UserTokens.of("root", "admin");

        HttpResult deposit = http.post("/api/admin/accounts/bob/deposits", admin,
                "{\"amount\":1000,\"reference\":\"pay-42\"}");
        HttpResult price = http.put("/api/admin/prices/standard", admin, "{\"pricePerMinute\":60}");

        assertThat(deposit.status()).isEqualTo(409);
        assertThat(deposit.errorCode()).isEqualTo("billing_disabled");
        assertThat(price.status()).isEqualTo(409);
        assertThat(price.errorCode()).isEqualTo("billing_disabled");
    }
}
