package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.gateway;
import static io.playbill.infra.standalone.EndToEndPlatform.player;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service that crashes while the platform is up is started again by the platform, and serves again. */
class ServiceRestartEndToEndTest {

    @Test
    void theGatewayKilledWithSigkillComesBackByItself() throws Exception {
        Platform platform = EndToEndPlatform.shared();
        long crashed = platform.pid("gateway");

        platform.kill("gateway");

        assertThat(ProcessHandle.of(crashed).filter(ProcessHandle::isAlive)).isEmpty();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> platform.pid("gateway") != crashed
                        && send("GET", gateway() + "/actuator/health", null, null).status() == 200);
        assertThat(platform.allServicesAlive()).isTrue();
        assertThat(platform.failure()).isNotDone();

        String user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(deposit(user, 700).get("balance").asLong()).isEqualTo(700);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                send("GET", gateway() + "/api/me/account", player(user), null).body().get("balance").asLong() == 700);
    }
}
