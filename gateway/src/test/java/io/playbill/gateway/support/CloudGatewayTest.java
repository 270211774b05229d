package io.playbill.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.cloud.queue.QueueWorker;
import io.playbill.gsemulator.EmulatorState;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

/**
 * The gateway with cloud games on, in billing mode under (so the stopper reads the real ledger-events topic), on the
 * shared GS emulator ({@link TestGs}, one worker per game) and its own database, with a stand-in ledger on the real
 * broker ({@link LedgerResponder}) that accepts everything unless a test scripts it otherwise. Retries, the queue,
 * the stop retries and the gateway's heartbeat run fast. Every subclass shares one application context; each test
 * starts from an empty emulator, empty tables and the generous ledger.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=under",
                "playbill.ledger.timeout=3s",
                "playbill.game.queues=standard,premium",
                "playbill.cloud.enabled=true",
                "playbill.cloud.demo-compat=true",
                "playbill.cloud.protocol=http://",
                "playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "playbill.cloud.secret-key=" + GsEmulatorConfig.DEV_SECRET_KEY,
                // Longer than a test hook that runs a whole start inside a GS call (GsEmulator.afterNext) takes.
                "playbill.cloud.read-timeout=10s",
                "playbill.cloud.retry.initial-backoff=20ms",
                "playbill.cloud.retry.max-backoff=100ms",
                "playbill.cloud.retry.not-ready-backoff=50ms",
                "playbill.cloud.queue.lock-retry-interval=200ms",
                "playbill.cloud.stopper.max-attempts=3",
                "playbill.cloud.stopper.first-retry-delay=100ms",
                "playbill.cloud.stopper.max-retry-delay=200ms",
                "playbill.cloud.heartbeat.interval=100ms",
                "playbill.cloud.heartbeat.min-renew-interval=300ms"})
@ActiveProfiles("standalone")
public abstract class CloudGatewayTest {

    protected static final String DEV_TOKEN_SECRET = NoneModeGatewayTest.DEV_TOKEN_SECRET;

    private static PostgresServer.Database database;

    protected static LedgerResponder ledger;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected GatewayHttp http;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers",
                () -> PlaybillTestInfrastructure.shared().kafkaBootstrapServers());
        database().springProperties("spring.datasource").forEach((key, value) -> registry.add(key, () -> value));
        registry.add("playbill.cloud.endpoint", TestGs::endpoint);
    }

    /** The database of this context, shared with extra gateway instances started by tests. */
    protected static synchronized PostgresServer.Database database() {
        if (database == null) {
            database = PlaybillTestInfrastructure.shared().createDatabase("gateway_cloud");
        }
        return database;
    }

    @Autowired
    protected QueueWorker queueWorker;

    @BeforeAll
    static void startLedger() {
        ledger = LedgerResponder.start(PlaybillTestInfrastructure.shared().kafkaBootstrapServers());
    }

    @AfterAll
    static void stopLedger() {
        ledger.close();
    }

    @BeforeEach
    void startClean() {
        clean();
        ledger.answer(LedgerResponder::generous);
        ledger.drain();
        http = new GatewayHttp(port);
    }

    /** Leaves nothing behind for the next test, in this class or another that shares the emulator. */
    @AfterEach
    void cleanUp() {
        clean();
    }

    private void clean() {
        // The worker is held so that no round in flight locks or frees a worker after the reset.
        queueWorker.stop();
        try {
            jdbc.update("TRUNCATE cloud_queue, cloud_session, cloud_stop, cloud_stopper_parked");
            TestGs.reset();
        } finally {
            queueWorker.start();
        }
    }

    protected HttpResult start(String userToken, String gameId, String clientSession) {
        return http.post("/api/cloud/start", userToken,
                "{\"clientSession\":\"" + clientSession + "\",\"gameId\":\"" + gameId + "\"}");
    }

    /**
     * {@code playing} starts game g1, each of {@code waiting} queues behind in that order, {@code playing} stops,
     * and the queue locks the freed worker for the first of {@code waiting}.
     */
    protected void firstInLineGetsTheFreedWorker(String playing, String... waiting) {
        assertThat(start(playing, "g1", "cs").status()).isEqualTo(200);
        for (String next : waiting) {
            assertThat(start(next, "g1", "cs").status()).isEqualTo(202);
        }
        http.post("/api/cloud/stop", playing);
        awaitReady(waiting[0]);
    }

    /** Waits until the queue says the user's worker is locked (the emulator knows a moment earlier). */
    protected void awaitReady(String userToken) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(poll(userToken).get("status").asText()).isEqualTo("ready"));
    }

    /** The user's queue place ({@code GET /api/cloud/queue}), which must exist. */
    protected JsonNode poll(String userToken) {
        HttpResult result = http.get("/api/cloud/queue", userToken);
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        return result.json();
    }

    protected static EmulatorState gsState() {
        return TestGs.emulator().state();
    }

    /** Whether a statement on the gateway's database waits for a lock (a row's, or an advisory lock). */
    protected boolean aStatementWaitsForALock() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock')", Boolean.class));
    }

    /** Whether a statement on the gateway's database waits for an advisory lock (a user's game slot). */
    protected boolean aStatementWaitsForAnAdvisoryLock() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory')",
                Boolean.class));
    }

    /** The users that hold a running GS session. */
    protected static List<String> playing() {
        return gsState().sessions().stream().map(EmulatorState.Session::userId).toList();
    }

    /** The users that hold a GS lock without a session yet. */
    protected static List<String> locked() {
        return gsState().locks().stream().map(EmulatorState.Lock::userId).toList();
    }
}
