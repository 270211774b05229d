package io.playbill.infra.standalone;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.gateway;
import static io.playbill.infra.standalone.EndToEndPlatform.player;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service that crashes while the platform is up is started again by the platform, and serves again. The ledger is
 * the one crashed: it rejoins its consumer group within its short Kafka session timeout, so the classes that share
 * this platform find it whole again when this test ends.
 */
class ServiceRestartEndToEndTest {

    private static final String LEDGER_GROUP = "playbill-ledger";

    @Test
    void theLedgerKilledWithSigkillComesBackByItself() throws Exception {
        Platform platform = EndToEndPlatform.shared();
        String ledger = platform.serviceUrls().get("command-service");
        long crashed = platform.pid("command-service");
        try (Admin admin = Admin.create(platform.kafkaAdminProperties())) {
            Set<String> deadMembers = memberIds(admin);
            assertThat(deadMembers).isNotEmpty();

            platform.kill("command-service");

            assertThat(ProcessHandle.of(crashed).filter(ProcessHandle::isAlive)).isEmpty();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> platform.pid("command-service") != crashed
                            && send("GET", ledger + "/actuator/health", null, null).status() == 200);
            assertThat(platform.allServicesAlive()).isTrue();
            assertThat(platform.failure()).isNotDone();

            // Kafka hands the dead instance's partitions to the new one once its session times out.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                ConsumerGroupDescription group = describe(admin);
                Set<String> members = ids(group);
                return group.state() == ConsumerGroupState.STABLE && !members.isEmpty()
                        && members.stream().noneMatch(deadMembers::contains);
            });
        }

        String user = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(deposit(user, 700).get("balance").asLong()).isEqualTo(700);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                send("GET", gateway() + "/api/me/account", player(user), null).body().get("balance").asLong() == 700);
    }

    private static Set<String> memberIds(Admin admin) throws Exception {
        return ids(describe(admin));
    }

    private static ConsumerGroupDescription describe(Admin admin) throws Exception {
        return admin.describeConsumerGroups(List.of(LEDGER_GROUP)).all().get().get(LEDGER_GROUP);
    }

    private static Set<String> ids(ConsumerGroupDescription group) {
        return group.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
    }
}
