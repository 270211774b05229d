package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL, then the broker, goes down under a running platform and comes back. While one is down every service
 * answers what it cannot do with 503, {@code Retry-After} and the JSON error shape, keeps answering what it can, and
 * says so in its readiness while its liveness stays UP (so nothing restarts it). Once the dependency is back every
 * service serves again without a restart, and the deposits reconcile: each one the gateway answered 200 is in the
 * ledger exactly once, each one it answered 503 at most once, and the read model shows the ledger's balance.
 *
 * <p>A platform of its own: the shared one must not lose its database under the other classes.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.OWN_PLATFORM)
class OutageEndToEndTest {

    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private final String admin = DevCredentials.userToken("ops", List.of("admin"), Duration.ofMinutes(30));
    /** Reference → the gateway's answer, in order. */
    private final Map<String, Integer> deposits = new LinkedHashMap<>();

    @Test
    void theDatabaseAndThenTheBrokerGoDownAndComeBack() throws Exception {
        Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-");
        String user = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String player = DevCredentials.userToken(user, List.of(), Duration.ofMinutes(30));

        try (Platform platform = Platform.start(new PlatformConfig(home, data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), PlatformConfig.defaultJvmOptions()))) {
            String gateway = platform.serviceUrls().get("gateway");
            Map<String, Long> pids = pids(platform);
            assertThat(deposit(gateway, user, 100).status()).isEqualTo(200);

            platform.stopPostgres();
            try {
                assertUnavailable(deposit(gateway, user, 10), "ledger_unavailable");
                assertUnavailable(send("GET", gateway + "/api/finance/users/" + user + "/account", admin, null),
                        "database_unavailable");
                assertUnavailable(send("GET", gateway + "/api/cloud/queue", player, null), "database_unavailable");
                assertUnavailable(send("GET", gateway + "/api/admin/cloud/stops", admin, null),
                        "database_unavailable");
                assertNotReadyButLive(platform);
            } finally {
                platform.startPostgres();
            }
            awaitReady(platform);
            awaitAccepted(gateway, user, 20);
            awaitReadModel(gateway, user);

            platform.stopKafka();
            try {
                assertUnavailable(deposit(gateway, user, 30), "ledger_unavailable");
                assertThat(send("GET", gateway + "/api/finance/users/" + user + "/account", admin, null).status())
                        .as("reads need PostgreSQL only").isEqualTo(200);
                assertUnavailable(send("POST", gateway + "/api/admin/replays/accounts", admin, null),
                        "broker_unavailable");
                assertNotReadyButLive(platform);
            } finally {
                platform.startKafka();
            }
            awaitReady(platform);
            awaitAccepted(gateway, user, 40);

            long ledgerBalance = awaitReadModel(gateway, user);
            Map<String, Long> stored = storedDeposits(platform, user);
            deposits.forEach((reference, status) -> {
                if (status == 200) {
                    assertThat(stored).as("accepted deposit %s is in the ledger", reference).containsKey(reference);
                }
            });
            assertThat(stored.keySet()).as("no deposit is stored that was never asked for")
                    .isSubsetOf(deposits.keySet());
            assertThat(stored.values().stream().mapToLong(Long::longValue).sum())
                    .as("the balance is exactly the deposits stored, each once").isEqualTo(ledgerBalance);
            assertThat(pids(platform)).as("no service was restarted").isEqualTo(pids);
            assertThat(platform.failure()).isNotDone();
        }
    }

    private TestHttp.Reply deposit(String gateway, String user, long amount) {
        String reference = "outage-" + deposits.size() + "-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Reply reply = send("POST", gateway + "/api/admin/accounts/" + user + "/deposits", admin,
                "{\"amount\":" + amount + ",\"reference\":\"" + reference + "\"}");
        deposits.put(reference, reply.status());
        return reply;
    }

    /** A deposit once the platform takes them again (the ledger may need a moment after its dependency is back). */
    private void awaitAccepted(String gateway, String user, long amount) {
        await().atMost(RECOVERY).pollInterval(Duration.ofSeconds(1))
                .until(() -> deposit(gateway, user, amount).status() == 200);
    }

    /** The ledger's balance (a deposit's answer carries it), once the read model shows the same. */
    private long awaitReadModel(String gateway, String user) {
        TestHttp.Reply marker = deposit(gateway, user, 1);
        assertThat(marker.status()).isEqualTo(200);
        long balance = marker.body().get("balance").asLong();
        await().atMost(RECOVERY).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                send("GET", gateway + "/api/finance/users/" + user + "/account", admin, null).body().get("balance")
                        .asLong() == balance);
        return balance;
    }

    private static void assertUnavailable(TestHttp.Reply reply, String code) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(503);
        assertThat(reply.body().path("error").path("code").asText()).isEqualTo(code);
        assertThat(reply.body().path("error").path("message").asText()).isNotBlank();
        assertThat(reply.retryAfter()).as("Retry-After").isNotNull().matches("[1-9][0-9]*");
    }

    private static void assertNotReadyButLive(Platform platform) {
        platform.serviceUrls().forEach((service, url) -> {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(health(url + "/actuator/health/readiness")).as(service + " readiness")
                            .isEqualTo("DOWN"));
            assertThat(health(url + "/actuator/health/liveness")).as(service + " liveness").isEqualTo("UP");
        });
    }

    private static void awaitReady(Platform platform) {
        platform.serviceUrls().forEach((service, url) -> await().atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> "UP".equals(health(url + "/actuator/health/readiness"))));
    }

    private static String health(String url) {
        JsonNode body = send("GET", url, null, null).body();
        return body.path("status").asText();
    }

    private static Map<String, Long> pids(Platform platform) {
        Map<String, Long> pids = new HashMap<>();
        platform.serviceUrls().keySet().forEach(service -> pids.put(service, platform.pid(service)));
        return pids;
    }

    /** The user's deposits in the ledger's event store: reference → amount (a reference stored twice fails). */
    private static Map<String, Long> storedDeposits(Platform platform, String user) throws Exception {
        PostgresServer.Database ledger = platform.database("playbill_ledger");
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(ledger.jdbcUrl(), ledger.username(), ledger.password());
             var q = c.prepareStatement("select payload from domain_event_entry where aggregate_identifier = ?"
                     + " and payload_type like '%FundsDeposited' order by sequence_number")) {
            q.setString(1, user);
            var rs = q.executeQuery();
            while (rs.next()) {
                events.add(TestHttp.JSON.readTree(rs.getBytes(1)));
            }
        }
        Map<String, Long> byReference = new HashMap<>();
        for (JsonNode event : events) {
            Long earlier = byReference.put(event.get("reference").asText(), event.get("amount").asLong());
            assertThat(earlier).as("deposit %s stored once", event.get("reference").asText()).isNull();
        }
        return byReference;
    }
}
