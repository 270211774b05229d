package io.playbill.query;

import io.playbill.service.web.ContainerErrorsInJson;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Read side: projects ledger events from Kafka into PostgreSQL tables and answers reads and reports. */
@SpringBootApplication
// Tomcat's own refusals in the one JSON error shape, not its HTML page.
@Import(ContainerErrorsInJson.class)
public class QueryServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(QueryServiceApplication.class, args);
    }
}
