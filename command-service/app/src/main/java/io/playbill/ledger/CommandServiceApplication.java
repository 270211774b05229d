package io.playbill.ledger;

import io.playbill.service.web.ContainerErrorsInJson;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The ledger: reads requests from Kafka, decides with event-sourced accounts, publishes ledger events. */
@SpringBootApplication
// Tomcat's own refusals in the one JSON error shape, not its HTML page.
@Import(ContainerErrorsInJson.class)
public class CommandServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandServiceApplication.class, args);
    }
}
