package io.playbill.infra.standalone;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real path end to end, exactly as {@code ./playbill up} runs it: gateway → Kafka → command-service (Axon,
 * PostgreSQL event store) → ledger-events topic → query-service projection. Every hop is asserted. A fresh platform
 * works at the first call: its default queue has a price, seeded once per data directory. That the state survives a
 * restart of the whole platform on the same data directory (and the price is not seeded again) is asserted by
 * {@link PlaybillUpProcessTest}, which restarts {@code up} anyway.
 */
@ExtendWith(EndToEndPlatform.class)
class PlatformSmokeTest {

    @Test
    void aDepositTravelsThroughEveryHop() throws Exception {
        Platform platform = EndToEndPlatform.shared();
        String gateway = EndToEndPlatform.gateway();
        String user = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = EndToEndPlatform.admin();

        var deposit = TestHttp.send("POST", gateway + "/api/admin/accounts/" + user + "/deposits", admin,
                "{\"amount\":1000,\"reference\":\"smoke-1\"}");
        assertThat(deposit.status()).as(deposit.body().toString()).isEqualTo(200);
        assertThat(deposit.body().get("balance").asLong()).isEqualTo(1000);

        var authToken = TestHttp.send("GET", gateway + "/api/game/authToken?session=s" + UUID.randomUUID()
                .toString().replace("-", ""), EndToEndPlatform.player(user), null);
        assertThat(authToken.status()).as("an authToken on the default queue: " + authToken.body())
                .isEqualTo(200);

        var ledger = platform.database("playbill_ledger");
        try (var c = DriverManager.getConnection(ledger.jdbcUrl(), ledger.username(), ledger.password());
             var q = c.prepareStatement("select count(*) from domain_event_entry where aggregate_identifier = ?"
                     + " and payload_type = 'io.playbill.ledger.api.events.FundsDeposited'")) {
            q.setString(1, user);
            var rs = q.executeQuery();
            rs.next();
            assertThat(rs.getLong(1)).as("the deposit event is in the PostgreSQL event store").isEqualTo(1);
        }

        assertThat(publishedEventTypes(platform.kafkaBootstrapServers(), user))
                .as("the event is published to the ledger-events topic")
                .contains("io.playbill.ledger.api.events.FundsDeposited");

        assertThat(awaitBalance(gateway, user, 1000))
                .as("query-service projected the balance; the gateway routes the player's read to it")
                .isEqualTo(1000);

        assertThat(TestHttp.send("GET", gateway + "/api/finance/users/" + user + "/account", admin, null)
                .body().get("balance").asLong()).as("the gateway's signed assertion carries the role")
                .isEqualTo(1000);
        assertThat(TestHttp.send("GET", platform.serviceUrls().get("query-service") + "/finance/users/" + user
                + "/account", admin, null).status()).as("query-service answers only the gateway").isEqualTo(401);
        assertThat(TestHttp.send("GET", platform.serviceUrls().get("command-service") + "/actuator/metrics", null,
                null).status()).as("command-service serves health (and its metrics to the scrape token) only")
                .isEqualTo(403);
    }

    @Test
    void noServiceOfTheDevPlatformIsReachableFromAnotherMachine() throws Exception {
        List<InetAddress> outward = NetworkInterface.networkInterfaces()
                .filter(nic -> isUp(nic) && !isLoopback(nic))
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address)
                .toList();
        Assumptions.assumeFalse(outward.isEmpty(), "this machine has no network interface besides loopback");
        Platform platform = EndToEndPlatform.shared();
        Map<String, Integer> ports = new LinkedHashMap<>();
        platform.serviceUrls().forEach((name, url) -> ports.put(name, URI.create(url).getPort()));
        ports.put("kafka", URI.create("kafka://" + platform.kafkaBootstrapServers()).getPort());
        ports.put("gs-emulator", platform.gsEmulator().port());
        ports.put("postgresql", URI.create(platform.database("playbill_ledger").jdbcUrl().substring("jdbc:".length()))
                .getPort());
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            int port = service.getValue();
            for (InetAddress address : outward) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2000);
                    }
                }).as(service.getKey() + " on " + address.getHostAddress() + ":" + port)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean isLoopback(NetworkInterface nic) {
        try {
            return nic.isLoopback();
        } catch (SocketException e) {
            return true;
        }
    }

    static long awaitBalance(String gateway, String user, long expected) throws Exception {
        String player = DevCredentials.userToken(user, List.of(), Duration.ofMinutes(5));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long balance = -1;
        while (System.nanoTime() < until && balance != expected) {
            var response = TestHttp.send("GET", gateway + "/api/me/account", player, null);
            if (response.status() == 200) {
                balance = response.body().get("balance").asLong();
            }
            Thread.sleep(200);
        }
        return balance;
    }

    private static List<String> publishedEventTypes(String bootstrap, String user) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(LedgerTopics.EVENTS));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            var types = new java.util.ArrayList<String>();
            while (System.nanoTime() < until && !types.contains("io.playbill.ledger.api.events.FundsDeposited")) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (user.equals(record.key())) {
                        types.add(new String(record.headers().lastHeader("axon-message-type").value(),
                                StandardCharsets.UTF_8));
                    }
                }
            }
            return types;
        }
    }
}
