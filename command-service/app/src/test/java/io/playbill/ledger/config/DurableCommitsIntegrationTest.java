package io.playbill.ledger.config;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import io.playbill.ledger.CommandServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger answers a request only after its transaction commits: it does not start on a database that reports a
 * commit before it is durable (decision 046). Spring creates the check before any listener container starts.
 */
class DurableCommitsIntegrationTest {

    @Test
    void theLedgerRefusesADatabaseWithAsynchronousCommits() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("ledger_async_commit")
                .withSynchronousCommit("off");

        assertThatThrownBy(() -> new SpringApplicationBuilder(CommandServiceApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.kafka.bootstrap-servers=" + PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password())
                .close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the ledger's database with synchronous_commit = off");
    }
}
