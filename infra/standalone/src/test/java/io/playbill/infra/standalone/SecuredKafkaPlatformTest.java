package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real path on a secured broker: each service logs in as its own SCRAM user (a password generated for this
 * start, handed over in {@code SPRING_KAFKA_*} environment variables, as production would) and may do only what
 * its ACLs allow. Every Kafka client of every service must therefore take its security settings from
 * configuration; one that does not cannot connect, and its service fails or logs authorization errors.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.OWN_PLATFORM)
class SecuredKafkaPlatformTest {

    @Test
    void aDepositAndAGameSessionWorkEndToEndWithEveryServiceLoggedInAsItsOwnUser() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "secured-");
        PlatformConfig config = new PlatformConfig(home, data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), PlatformConfig.defaultJvmOptions())
                .withKafkaSecurity(PlatformConfig.KafkaSecurity.SASL_SCRAM)
                // Outside dev mode the ledger and query-service start only with clients that log in (decision 053).
                .withServiceEnvironment("command-service", Map.of("PLAYBILL_DEV_MODE", "false"))
                .withServiceEnvironment("query-service", Map.of("PLAYBILL_DEV_MODE", "false"));
        String user = "sasl-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        String admin = DevCredentials.userToken("ops", List.of("admin"), Duration.ofMinutes(10));
        String player = DevCredentials.userToken(user, List.of(), Duration.ofMinutes(10));

        try (Platform platform = Platform.start(config)) {
            String gateway = platform.serviceUrls().get("gateway");
            assertThat(send("PUT", gateway + "/api/admin/prices/standard", admin, "{\"pricePerMinute\":60}").status())
                    .isEqualTo(200);
            var deposit = send("POST", gateway + "/api/admin/accounts/" + user + "/deposits", admin,
                    "{\"amount\":1000,\"reference\":\"sasl-1\"}");
            assertThat(deposit.status()).as(deposit.body().toString()).isEqualTo(200);
            assertThat(deposit.body().get("balance").asLong()).isEqualTo(1000);
            assertThat(awaitBalance(gateway, player, 1000))
                    .as("the event reached query-service, which the gateway routes the player's read to")
                    .isEqualTo(1000);

            var authToken = send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=standard",
                    player, null);
            assertThat(authToken.status()).as(authToken.body().toString()).isEqualTo(200);
            var start = send("POST", gateway + "/api/game/start", player,
                    "{\"session\":\"" + session + "\",\"queue\":\"standard\"}");
            assertThat(start.status()).as(start.body().toString()).isEqualTo(200);
            var renew = send("POST", gateway + "/api/game/renew", player,
                    "{\"session\":\"" + session + "\",\"lastDeadline\":0}");
            assertThat(renew.status()).as(renew.body().toString()).isEqualTo(200);
            assertThat(TestHttp.claims(renew.body().get("token").asText()).get("deadline").asLong()).isPositive();

            // An audit reads the topic with query-service's plain consumers (not Axon's), as replays do.
            var audit = send("POST", gateway + "/api/admin/audits?user=" + user, admin, null);
            assertThat(audit.status()).as(audit.body().toString()).isBetween(200, 202);
            String id = audit.body().path("id").asText();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ("running".equals(audit.body().path("status").asText()) && System.nanoTime() < until) {
                Thread.sleep(500);
                audit = send("GET", gateway + "/api/admin/audits/" + id, admin, null);
            }
            assertThat(audit.body().path("status").asText()).as(audit.body().toString()).isEqualTo("completed");
            assertThat(audit.body().path("report").path("topicRecords").asLong()).isGreaterThanOrEqualTo(2);
        }

        for (String service : List.of("gateway", "command-service", "query-service")) {
            String log = Files.readString(data.resolve("run/logs/" + service + ".log"));
            assertThat(log).as("%s logged in and had every right it needed", service)
                    .contains("SASL_PLAINTEXT")
                    .doesNotContain("AuthorizationException", "AUTHORIZATION_FAILED", "SaslAuthenticationException");
        }
    }

    private static long awaitBalance(String gateway, String player, long expected) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long balance = -1;
        while (System.nanoTime() < until && balance != expected) {
            var response = send("GET", gateway + "/api/me/account", player, null);
            if (response.status() == 200) {
                balance = response.body().get("balance").asLong();
            }
            Thread.sleep(200);
        }
        return balance;
    }
}
