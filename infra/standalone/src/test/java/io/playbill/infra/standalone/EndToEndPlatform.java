package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gsemulator.JournalEntry;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one real platform the end-to-end test classes of this JVM share, started on first use and stopped when the
 * test run ends (the classes that use it say {@code @ExtendWith(EndToEndPlatform.class)}, which registers it with
 * JUnit's root context, or, under jqwik, call {@link #close} after their last property; a JVM shutdown hook would be
 * cut short by Surefire): embedded PostgreSQL, the broker, the GS emulator and the three services as child JVMs, as {@code ./playbill
 * up} runs them. The ledger bills with a 31 s cycle, the shortest the SDK can renew within (its margin is 30 s), so a
 * balance of one cycle runs out in half a minute while a session still outlives a ledger restart (it expires at
 * deadline + 30 s); the rules do not depend on the cycle's length, the ledger's own tests cover the default 60 s.
 * Tests use fresh users, sessions and references.
 */
final class EndToEndPlatform implements BeforeAllCallback {

    /** The ledger's billing cycle on this platform; a balance of one cycle is what the exhaustion tests deposit. */
    static final long CYCLE_SECONDS = 31;
    /**
     * How soon GS StopGame follows a session's end, at most: about a second on an idle machine, but the platform
     * shares this one with the other test lane's (decision 052).
     */
    static final Duration STOP_LATENCY = Duration.ofSeconds(15);

    private static Platform platform;
    private static TestIdentityProvider identityProvider;

    /** Stops the platform once every JUnit Jupiter test class of the run is done. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        shared();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(EndToEndPlatform.class,
                key -> (ExtensionContext.Store.CloseableResource) EndToEndPlatform::close);
    }

    /**
     * Stops the platform now: for a jqwik class, at the end of its {@code @AfterContainer}. jqwik is a test engine
     * of its own that runs after Jupiter has stopped the platform, so its classes start it again, and nothing else
     * would stop it (its PostgreSQL outlived the test JVM).
     */
    static synchronized void close() {
        if (platform == null) {
            return;
        }
        try {
            platform.close();
        } finally {
            identityProvider.close();
            platform = null;
        }
    }

    static synchronized Platform shared() throws IOException, InterruptedException {
        if (platform == null) {
            Path home = Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
            Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-");
            identityProvider = TestIdentityProvider.start();
            // The queue 'arcade' is the console test's own, so its revenue is exactly what that test played; 'free'
            // is GamePathWarmUpTest's, priced 0.
            platform = Platform.start(new PlatformConfig(home, data, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                    LoopbackPorts.free(), LoopbackPorts.free(), PlatformConfig.defaultJvmOptions())
                    .withServiceEnvironment("command-service", Map.of("PLAYBILL_BILLING_CYCLE", CYCLE_SECONDS + "s"))
                    .withServiceEnvironment("gateway", Map.of("PLAYBILL_GAME_QUEUES", "standard,premium,arcade,free"))
                    .withServiceEnvironment("gateway", identityProvider.gatewaySettings()));
        }
        return platform;
    }

    /** The identity provider the platform's console signs in with (playbill.console.oidc.*). */
    static TestIdentityProvider identityProvider() throws IOException, InterruptedException {
        shared();
        return identityProvider;
    }

    static String gateway() throws IOException, InterruptedException {
        return shared().serviceUrls().get("gateway");
    }

    static String admin() {
        return DevCredentials.userToken("ops", List.of("admin"), Duration.ofMinutes(30));
    }

    static String player(String user) {
        return DevCredentials.userToken(user, List.of(), Duration.ofMinutes(30));
    }

    static JsonNode deposit(String user, long amount) throws IOException, InterruptedException {
        var reply = send("POST", gateway() + "/api/admin/accounts/" + user + "/deposits", admin(),
                "{\"amount\":" + amount + ",\"reference\":\"e2e-" + user + "-" + System.nanoTime() + "\"}");
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body();
    }

    static void price(String queue, long pricePerMinute) throws IOException, InterruptedException {
        assertThat(send("PUT", gateway() + "/api/admin/prices/" + queue, admin(),
                "{\"pricePerMinute\":" + pricePerMinute + "}").status()).isEqualTo(200);
    }

    static long renew(String token, String session, long lastDeadline) throws IOException, InterruptedException {
        var reply = send("POST", gateway() + "/api/game/renew", token,
                "{\"session\":\"" + session + "\",\"lastDeadline\":" + lastDeadline + "}");
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return TestHttp.claims(reply.body().get("token").asText()).get("deadline").asLong();
    }

    /** The user's stored ledger events, in order. */
    static List<JsonNode> events(String user) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (Connection c = connect("playbill_ledger");
             var q = c.prepareStatement("select payload from domain_event_entry where aggregate_identifier = ?"
                     + " order by sequence_number")) {
            q.setString(1, user);
            var rs = q.executeQuery();
            while (rs.next()) {
                events.add(TestHttp.JSON.readTree(rs.getBytes(1)));
            }
        }
        return events;
    }

    static Connection connect(String database) throws SQLException, IOException, InterruptedException {
        PostgresServer.Database db = shared().database(database);
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    /** When GS was first asked to stop the user's game, if it was. */
    static Optional<Instant> stoppedAt(String user) throws IOException, InterruptedException {
        return shared().gsEmulator().journal().stream()
                .filter(entry -> entry.action().equals("StopGame") && user.equals(entry.userId()))
                .map(JournalEntry::at).findFirst();
    }

    /** The GS calls of {@code action} for the user. */
    static long gsCalls(String action, String user) throws IOException, InterruptedException {
        return shared().gsEmulator().journal().stream()
                .filter(entry -> entry.action().equals(action) && user.equals(entry.userId())).count();
    }

    /**
     * The user's one session ended as {@code balance_exhausted} when its paid playtime did (t0 + one cycle, what a
     * balance of one cycle pays; or at the first renew after it), was charged {@code perSecond} for each billed second and at least {@code minBilled}
     * (under-bill: up to the last renew before the end), never below zero; GS stopped the game within 5 s of the end,
     * and the gateway recorded it.
     */
    static void assertBalanceRanOutAndTheGameStopped(String user, long perSecond, long minBilled) throws Exception {
        List<JsonNode> events = events(user);
        long t0 = events.stream().filter(e -> e.has("firstRenewAtMillis")).findFirst().orElseThrow()
                .get("firstRenewAtMillis").asLong();
        JsonNode ended = events.stream().filter(e -> e.has("reason")).findFirst().orElseThrow();
        assertThat(ended.get("reason").asText()).isEqualTo("balance_exhausted");
        // The expiry scan ends it at exactly t0 + one cycle; a renew that reaches the ledger first ends it at its own
        // receive time, a moment later, having billed the rest.
        long endedAt = ended.get("endedAtMillis").asLong();
        assertThat(endedAt).as("the session ends when its paid playtime does").isBetween(t0 + CYCLE_SECONDS * 1000, t0 + CYCLE_SECONDS * 1000 + 5_000);
        if (endedAt > t0 + CYCLE_SECONDS * 1000) {
            assertThat(ended.get("billedSeconds").asLong()).as("a renew after the paid time bills all of it")
                    .isEqualTo(CYCLE_SECONDS);
        }
        long charged = events.stream().filter(e -> e.has("secondsCharged")).mapToLong(e -> e.get("amount").asLong())
                .sum();
        long billed = ended.get("billedSeconds").asLong();
        assertThat(charged).as("charged once for the billed seconds").isEqualTo(billed * perSecond);
        assertThat(billed).as("under-bill: billed up to the last renew before the end").isBetween(minBilled, CYCLE_SECONDS);
        assertThat(events).allSatisfy(e -> {
            if (e.has("balanceAfter")) {
                assertThat(e.get("balanceAfter").asLong()).isNotNegative();
            }
        });
        Instant stopped = stoppedAt(user).orElseThrow(() -> new AssertionError("no StopGame for " + user));
        assertThat(Duration.between(Instant.ofEpochMilli(t0 + CYCLE_SECONDS * 1000), stopped))
                .as("GS StopGame follows the end of the paid playtime within " + STOP_LATENCY.toSeconds() + " s")
                .isBetween(Duration.ZERO, STOP_LATENCY);
        try (Connection c = connect("playbill_gateway");
             var q = c.prepareStatement("select reason, result from cloud_stop where user_id = ?")) {
            q.setString(1, user);
            var rs = q.executeQuery();
            assertThat(rs.next()).as("the stop is recorded for audits").isTrue();
            assertThat(rs.getString("reason")).isEqualTo("balance_exhausted");
            assertThat(rs.getString("result")).isEqualTo("stopped");
        }
    }
}
