package io.playbill.query.projection;

import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import io.playbill.query.QueryServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Whoever can write to an unauthenticated broker could write ledger events the read models believe: outside dev mode
 * query-service does not start with Kafka clients that do not log in (decision 053).
 */
class AuthenticatedKafkaIntegrationTest {

    @Test
    void queryServiceRefusesABrokerAnyoneCouldWriteToOutsideDevMode() {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("query_open_broker");
        String[] settings = Stream.concat(Stream.of("--playbill.dev-mode=false",
                        "--spring.kafka.bootstrap-servers=" + PlaybillTestInfrastructure.shared().kafkaBootstrapServers(),
                        "--playbill.internal.key=query-service-test-internal-key-0123456789"),
                database.springProperties("spring.datasource").entrySet().stream()
                        .map(setting -> "--" + setting.getKey() + "=" + setting.getValue()))
                .toArray(String[]::new);

        assertThatThrownBy(() -> new SpringApplicationBuilder(QueryServiceApplication.class)
                .web(WebApplicationType.NONE).run(settings).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("query-service refuses to start outside dev mode")
                .hasMessageContaining("security protocol PLAINTEXT");
    }
}
