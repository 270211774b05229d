package io.playbill.gateway.cloud;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances share one queue table; both run a queue worker racing for the same pool. Players join
 * through either instance and are still served strictly first come, first served.
 */
class TwoGatewayQueueTest extends CloudGatewayTest {

    private static final List<String> PLAYERS = List.of("p1", "p2", "p3", "p4");

    @Test
    void playersJoiningThroughEitherInstanceAreServedInArrivalOrder() {
        try (ConfigurableApplicationContext second = secondGateway(database())) {
            GatewayHttp other = new GatewayHttp(((WebServerApplicationContext) second).getWebServer().getPort());
            String holder = "p0";
            assertThat(start(UserTokens.of(holder), "g1", "cs").status()).isEqualTo(200);
            for (int i = 0; i < PLAYERS.size(); i++) {
                HttpResult queued = via(i, other).post("/api/cloud/start", UserTokens.of(PLAYERS.get(i)),
                        "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}");
                assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
                assertThat(queued.json().get("position").asInt()).isEqualTo(i + 1);
            }

            for (int i = 0; i < PLAYERS.size(); i++) {
                String next = PLAYERS.get(i);
                assertThat(via(i + 1, other).post("/api/cloud/stop", UserTokens.of(holder)).status()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(5)).until(() -> status(via(0, other), next).equals("ready"));
                for (String later : PLAYERS.subList(i + 1, PLAYERS.size())) {
                    assertThat(status(via(1, other), later)).as(later + " waits behind " + next).isEqualTo("waiting");
                }
                HttpResult started = via(i, other).post("/api/cloud/start", UserTokens.of(next),
                        "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}");
                assertThat(started.status()).as(started.toString()).isEqualTo(200);
                assertThat(playing()).containsExactly(next);
                holder = next;
            }
        }
    }

    private GatewayHttp via(int turn, GatewayHttp other) {
        return turn % 2 == 0 ? http : other;
    }

    private static String status(GatewayHttp gateway, String user) {
        return gateway.get("/api/cloud/queue", UserTokens.of(user)).json().get("status").asText();
    }

    /** A second instance on the same database and emulator; billing mode none (no Kafka), same fast queue. */
    private static ConfigurableApplicationContext secondGateway(PostgresServer.Database database) {
        return new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(
                "--server.port=0", "--playbill.billing.mode=none",
                "--playbill.cloud.enabled=true", "--playbill.cloud.endpoint=" + TestGs.endpoint(),
                "--playbill.cloud.protocol=http://",
                "--playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "--playbill.cloud.secret-key=" + GsEmulatorConfig.DEV_SECRET_KEY,
                "--playbill.cloud.queue.lock-retry-interval=200ms",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password());
    }
}
