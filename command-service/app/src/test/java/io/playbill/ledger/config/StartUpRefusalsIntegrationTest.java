package io.playbill.ledger.config;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import io.playbill.ledger.CommandServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the ledger refuses to start with, before any listener container starts and so before it takes a request: a
 * database that reports a commit before it is durable (decision 046), and, outside dev mode, Kafka clients that do
 * not log in, for whoever can write to such a broker could put a deposit on the request topic (decision 053).
 */
class StartUpRefusalsIntegrationTest {

    @Test
    void theLedgerRefusesADatabaseWithAsynchronousCommits() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("ledger_async_commit")
                .withSynchronousCommit("off");

        assertThatThrownBy(() -> start(database))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the ledger's database with synchronous_commit = off");
    }

    @Test
    void theLedgerRefusesABrokerAnyoneCouldWriteToOutsideDevMode() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("ledger_open_broker");

        assertThatThrownBy(() -> start(database, "--playbill.dev-mode=false"))
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("command-service refuses to start outside dev mode")
                .hasMessageContaining("security protocol PLAINTEXT");
    }

    private static void start(PostgresServer.Database database, String... settings) {
        new SpringApplicationBuilder(CommandServiceApplication.class)
                .web(WebApplicationType.NONE)
                .run(Stream.concat(Stream.of(
                        "--spring.kafka.bootstrap-servers=" + PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password()), Stream.of(settings))
                        .toArray(String[]::new))
                .close();
    }
}
