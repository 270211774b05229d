package io.playbill.gateway;

import io.playbill.service.web.ContainerErrorsInJson;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.time.Clock;

/**
 * The gateway: the one public HTTP entry of Playbill. It authenticates users, signs the cloud-gaming SDK's tokens
 * and forwards billing decisions to the ledger over Kafka.
 *
 * <p>Kafka's auto-configuration is excluded on purpose: {@code ledger.LedgerKafkaConfiguration} creates the Kafka
 * clients only when billing goes through the ledger, so billing mode {@code none} never touches a broker. Likewise
 * the DataSource: {@code cloud.CloudConfiguration} creates it only with {@code playbill.cloud.enabled=true}, so a
 * gateway without cloud games needs no database (Boot's JDBC and Flyway configuration back off without one).
 */
@SpringBootApplication(exclude = {KafkaAutoConfiguration.class, DataSourceAutoConfiguration.class})
// Tomcat's own refusals in the one JSON error shape, not its HTML page.
@Import(ContainerErrorsInJson.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }

    /** Every "now" in the gateway (token times, request receive times, JWT expiry checks) comes from here. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
