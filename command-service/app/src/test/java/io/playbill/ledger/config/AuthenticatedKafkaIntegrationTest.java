package io.playbill.ledger.config;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import io.playbill.ledger.CommandServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whoever can write to an unauthenticated broker could put a deposit on the request topic: outside dev mode the
 * ledger does not start with Kafka clients that do not log in (decision 053), before any listener container starts.
 */
class AuthenticatedKafkaIntegrationTest {

    @Test
    void theLedgerRefusesABrokerAnyoneCouldWriteToOutsideDevMode() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("ledger_open_broker");

        assertThatThrownBy(() -> new SpringApplicationBuilder(CommandServiceApplication.class)
                .web(WebApplicationType.NONE)
                .run("--playbill.dev-mode=false",
                        "--spring.kafka.bootstrap-servers=" + PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password())
                .close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("command-service refuses to start outside dev mode")
                .hasMessageContaining("security protocol PLAINTEXT");
    }
}
