package io.playbill.gateway.cloud;

import io.playbill.gateway.GatewayApplication;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway records a session's end before it stops the game: it does not start on a database that could undo
 * that record after reporting it committed (decision 046).
 */
class DurableCommitsTest {

    @Test
    void theCloudGatewayRefusesADatabaseWithAsynchronousCommits() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("gateway_async_commit")
                .withSynchronousCommit("off");

        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(
                "--server.port=0", "--playbill.billing.mode=none",
                "--playbill.cloud.enabled=true", "--playbill.cloud.endpoint=127.0.0.1:1",
                "--playbill.cloud.protocol=http://",
                "--playbill.cloud.secret-id=a-secret-id", "--playbill.cloud.secret-key=a-secret-key",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password()).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the gateway's database with synchronous_commit = off");
    }
}
