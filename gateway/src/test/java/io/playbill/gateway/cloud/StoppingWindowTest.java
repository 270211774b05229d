package io.playbill.gateway.cloud;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.cloud.queue.QueueWorker;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.EmulatorState;
import io.playbill.gsemulator.GsEmulator;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.gsemulator.JournalEntry;
import io.playbill.gsemulator.ManualClock;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GS keeps a stopped game's worker busy for a while ("stopping"): nobody gets it, and its user is answered
 * {@code UnsupportedOperation.Stopping}. A gateway of its own on an emulator with a stopping window, whose clock
 * only the test moves.
 */
class StoppingWindowTest {

    private static final Duration WINDOW = Duration.ofSeconds(2);

    private static ManualClock clock;
    private static GsEmulator gs;
    private static ConfigurableApplicationContext gateway;
    private static GatewayHttp http;

    private final String alice = UserTokens.of("alice");
    private final String bob = UserTokens.of("bob");

    @BeforeAll
    static void startGsAndGateway() {
        clock = new ManualClock(Instant.now());
        gs = GsEmulator.start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withStoppingWindow(WINDOW)
                .withClock(clock));
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("gateway_stopping");
        gateway = new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(
                "--server.port=0", "--playbill.billing.mode=none",
                "--playbill.cloud.enabled=true", "--playbill.cloud.endpoint=127.0.0.1:" + gs.port(),
                "--playbill.cloud.protocol=http://",
                "--playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "--playbill.cloud.secret-key=" + GsEmulatorConfig.DEV_SECRET_KEY,
                "--playbill.cloud.retry.not-ready-attempts=3",
                "--playbill.cloud.retry.not-ready-backoff=50ms",
                "--playbill.cloud.queue.lock-retry-interval=200ms",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password());
        http = new GatewayHttp(((WebServerApplicationContext) gateway).getWebServer().getPort());
    }

    @AfterAll
    static void stopGatewayAndGs() {
        if (gateway != null) {
            gateway.close();
        }
        if (gs != null) {
            gs.close();
        }
    }

    @BeforeEach
    void startClean() {
        QueueWorker queueWorker = gateway.getBean(QueueWorker.class);
        queueWorker.stop();
        try {
            gateway.getBean(JdbcTemplate.class).update("TRUNCATE cloud_queue, cloud_session, cloud_stop");
            clock.advance(Duration.between(clock.instant(), Instant.now()));
            gs.reset();
        } finally {
            queueWorker.start();
        }
    }

    @Test
    void aPlayerStartingAgainWhileTheirGameStopsIsToldToRetryAndThenStarts() {
        assertThat(start(alice).status()).isEqualTo(200);
        assertThat(http.post("/api/cloud/stop", alice).status()).isEqualTo(200);

        HttpResult tooSoon = start(alice);

        assertThat(tooSoon.status()).as(tooSoon.toString()).isEqualTo(409);
        assertThat(tooSoon.errorCode()).isEqualTo("cloud_stopping");
        assertThat(tooSoon.header("Retry-After")).isEqualTo("5");
        assertThat(codes("TrylockWorker", "alice")).as("retried before answering")
                .containsExactly("OK", "UnsupportedOperation.Stopping", "UnsupportedOperation.Stopping",
                        "UnsupportedOperation.Stopping");
        assertThat(http.get("/api/cloud/queue", alice).errorCode()).as("not queued").isEqualTo("not_queued");

        clock.advance(WINDOW);

        assertThat(start(alice).status()).isEqualTo(200);
    }

    @Test
    void theQueueWaitsOutTheWindowOfTheGameBeforeIt() {
        assertThat(start(alice).status()).isEqualTo(200);
        assertThat(start(bob).status()).isEqualTo(202);

        assertThat(http.post("/api/cloud/stop", alice).status()).isEqualTo(200);

        // The worker is stopping: GS has none idle, so bob is tried and keeps waiting, first in line.
        await().atMost(Duration.ofSeconds(5)).until(() -> locksOfBobAfterTheStop().size() >= 2);
        assertThat(locksOfBobAfterTheStop()).containsOnly("ResourceNotFound.NoIdle");
        assertThat(gs.state().stopping()).extracting(EmulatorState.Stopping::userId).containsExactly("alice");
        assertThat(status(bob)).isEqualTo("waiting");

        clock.advance(WINDOW);

        await().atMost(Duration.ofSeconds(5)).until(() -> status(bob).equals("ready"));
        assertThat(start(bob).status()).isEqualTo(200);
        assertThat(gs.state().sessions()).extracting(EmulatorState.Session::userId).containsExactly("bob");
    }

    private static HttpResult start(String userToken) {
        return http.post("/api/cloud/start", userToken, "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}");
    }

    private static String status(String userToken) {
        return http.get("/api/cloud/queue", userToken).json().get("status").asText();
    }

    private static List<String> codes(String action, String userId) {
        return gs.journal().stream().filter(call -> call.action().equals(action) && call.userId().equals(userId))
                .map(JournalEntry::code).toList();
    }

    /** The answers to bob's TrylockWorker calls since alice's StopGame (the journal is in call order). */
    private static List<String> locksOfBobAfterTheStop() {
        List<JournalEntry> journal = gs.journal();
        int stop = journal.stream().map(JournalEntry::action).toList().lastIndexOf("StopGame");
        return journal.subList(stop + 1, journal.size()).stream()
                .filter(call -> call.action().equals("TrylockWorker") && call.userId().equals("bob"))
                .map(JournalEntry::code).toList();
    }
}
