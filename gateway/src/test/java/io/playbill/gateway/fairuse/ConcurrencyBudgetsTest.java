package io.playbill.gateway.fairuse;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.LedgerResponder;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack: a dependency stops answering and clients keep calling. The gateway has 9 request threads here, so
 * ten stalled calls would hold them all without budgets; with budgets (2 reads, 2 cloud, 2 game threads, 1 stop
 * thread beyond them, 2 headroom; 3 game calls waiting for the ledger and 1 stop beyond them) the stalled kind holds
 * its budget, the rest of it is refused at once with 503 busy, and renewals, answered by a stand-in ledger on the
 * real broker, go on. GS and query-service are {@link StallingServer}s at their HTTP boundary.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=under",
                "playbill.ledger.timeout=3s",
                "playbill.cloud.enabled=true",
                "playbill.cloud.protocol=http://",
                "playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "playbill.cloud.secret-key=" + GsEmulatorConfig.DEV_SECRET_KEY,
                "playbill.cloud.read-timeout=30s",
                "playbill.cloud.stopper.finish-grace=70s",
                "playbill.cloud.retry.max-attempts=1",
                "playbill.query-service.read-timeout=30s",
                "server.tomcat.threads.max=9",
                "server.tomcat.threads.min-spare=2",
                "playbill.concurrency.reads=2",
                "playbill.concurrency.cloud=2",
                "playbill.concurrency.game=2",
                "playbill.concurrency.stops=1",
                "playbill.concurrency.headroom=2",
                "playbill.concurrency.game-waiting=3",
                "playbill.concurrency.stops-waiting=1"})
@ActiveProfiles("standalone")
class ConcurrencyBudgetsTest {

    private static final String GS_ERROR =
            "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"stalled\"},\"RequestId\":\"r-1\"}}";
    private static final String START = "{\"clientSession\":\"client-session\",\"gameId\":\"game-1\"}";
    private static final String RENEW = "{\"session\":\"foobar\",\"lastDeadline\":60}";
    private static final String STOP = "{\"session\":\"foobar\"}";

    private static final StallingServer GS = new StallingServer(GS_ERROR);
    private static final StallingServer QUERY_SERVICE = new StallingServer("{\"balance\":0}");

    private static LedgerResponder ledger;

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private DataSource dataSource;

    private GatewayHttp http;
    private final ExecutorService clients = Executors.newFixedThreadPool(12);
    private final List<CompletableFuture<HttpResult>> calls = new ArrayList<>();

    @DynamicPropertySource
    static void dependencies(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", ConcurrencyBudgetsTest::bootstrapServers);
        PlaybillTestInfrastructure.shared().createDatabase("gateway_fair_use").springProperties("spring.datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("playbill.cloud.endpoint", () -> "127.0.0.1:" + GS.port());
        registry.add("playbill.query-service.url", () -> "http://127.0.0.1:" + QUERY_SERVICE.port());
    }

    @BeforeAll
    static void startLedger() {
        ledger = LedgerResponder.start(bootstrapServers());
    }

    @AfterAll
    static void stopEverything() {
        ledger.close();
        GS.close();
        QUERY_SERVICE.close();
    }

    @BeforeEach
    void stallDependencies() {
        http = new GatewayHttp(port);
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 4_000L, 97L, "standard"));
        ledger.drain();
        GS.stall();
        QUERY_SERVICE.stall();
    }

    @AfterEach
    void letEverythingFinish() throws Exception {
        GS.release();
        QUERY_SERVICE.release();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
        clients.shutdownNow();
    }

    @Test
    void aStalledGsHoldsTheCloudBudgetOnlyAndRenewalsGoOn() throws Exception {
        List<CompletableFuture<HttpResult>> starts = tenAtOnce(i -> http.post("/api/cloud/start",
                UserTokens.of("gs-player-" + i), START));

        GS.awaitHeld(2);
        List<HttpResult> refused = firstAnswers(starts, 8);

        assertThat(refused).allSatisfy(ConcurrencyBudgetsTest::assertBusy);
        assertThat(GS.heldMore()).as("no third call reached GS").isFalse();
        assertThat(renew("renewing-player").status()).isEqualTo(200);
        assertBusy(http.post("/api/cloud/start", UserTokens.of("late-player"), START));
        // Spelled differently, still the same path for Spring MVC: still the cloud budget.
        assertBusy(http.post("/api/%63loud/start", UserTokens.of("late-player"), START));

        GS.release();
        assertThat(answers(starts)).filteredOn(result -> result.status() == 503 && isBusy(result)).hasSize(8);
        assertThat(http.get("/api/cloud/queue", UserTokens.of("gs-player-0")).errorCode())
                .as("the budget is whole again").isEqualTo("not_queued");
    }

    @Test
    void aCloudStopGetsThroughWhenAStalledGsHoldsTheCloudBudgetAndNoOtherCloudCallCanUseTheReserve()
            throws Exception {
        List<CompletableFuture<HttpResult>> starts = new ArrayList<>();
        for (String user : List.of("gs-player-1", "gs-player-2")) {
            starts.add(track(CompletableFuture.supplyAsync(() -> http.post("/api/cloud/start", UserTokens.of(user),
                    START), clients)));
        }
        GS.awaitHeld(2);
        assertBusy(http.post("/api/cloud/start", UserTokens.of("late-player"), START));

        // The stop reaches GS: it ends the session that pays for the game, which a refusal would leave running.
        starts.add(track(CompletableFuture.supplyAsync(() -> http.post("/api/cloud/stop",
                UserTokens.of("stopping-player")), clients)));
        GS.awaitHeld(1);

        // Other cloud calls never take the stop reserve, however they spell a stop.
        for (String spelling : List.of("/api/cloud/start;/api/cloud/stop", "/api/cloud/stop/../start",
                "/api/cloud/stop/%2e%2e/start")) {
            HttpResult answer = http.post(spelling, UserTokens.of("late-player"), START);
            assertThat(answer.status()).as(spelling + ": " + answer).isIn(400, 503);
        }
        assertBusy(http.get("/api/cloud/queue", UserTokens.of("late-player")));
        // With the cloud budget and the reserve both held, a further stop is refused too, the demo's included.
        assertBusy(http.post("/api/cloud/stop", UserTokens.of("second-stopper")));
        assertBusy(http.post("/StopCloudGame", UserTokens.of("second-stopper"), "{}"));
        assertThat(GS.heldMore()).as("no refused call reached GS").isFalse();

        GS.release();
        answers(starts);
        assertThat(http.post("/api/cloud/stop", UserTokens.of("second-stopper")).errorCode())
                .as("the budget and the reserve are whole again").isNotEqualTo("busy");
    }

    @Test
    void aStalledQueryServiceHoldsTheReadBudgetOnlyAndRenewalsAndCloudCallsGoOn() throws Exception {
        List<CompletableFuture<HttpResult>> reads = tenAtOnce(i -> http.get("/api/me/balance",
                UserTokens.of("reader-" + i)));

        QUERY_SERVICE.awaitHeld(2);
        List<HttpResult> refused = firstAnswers(reads, 8);

        assertThat(refused).allSatisfy(ConcurrencyBudgetsTest::assertBusy);
        assertThat(renew("renewing-reader").status()).isEqualTo(200);
        assertThat(http.get("/api/cloud/queue", UserTokens.of("reader-0")).errorCode()).isEqualTo("not_queued");

        QUERY_SERVICE.release();
        assertThat(answers(reads)).filteredOn(result -> result.status() == 200).hasSize(2);
    }

    /**
     * Requests outside every budget (health probes, admin calls, the console, the API document) share the headroom
     * and no more. A health probe runs the database's checks: with one of them waiting (a table locked), anonymous
     * probes took every request thread, and renewals waited for a thread they never got.
     */
    @Test
    void stalledHealthProbesHoldTheHeadroomOnlyAndRenewalsGoOn() throws Exception {
        List<CompletableFuture<HttpResult>> probes;
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("lock table cloud_stopper_parked in access exclusive mode");
            }
            probes = tenAtOnce(i -> http.get("/actuator/health", null));
            List<HttpResult> refused = firstAnswers(probes, 8);

            assertThat(refused).allSatisfy(ConcurrencyBudgetsTest::assertBusy);
            assertThat(renew("renewing-while-probed").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health/liveness", null).status())
                    .as("liveness checks nothing and is never refused: a refusal restarts a healthy gateway")
                    .isEqualTo(200);
            locker.rollback();
        }
        assertThat(answers(probes)).filteredOn(result -> result.status() == 200).hasSize(2);
        assertThat(http.get("/actuator/health", null).status()).as("the headroom is whole again").isEqualTo(200);
    }

    /**
     * The headroom counts request threads: an admin call waiting for the ledger holds none, so it holds no place, and
     * a slow ledger never leaves health probes, scrapes and the console refused behind a few deposits.
     */
    @Test
    void adminCallsWaitingForTheLedgerHoldNoPlaceOfTheHeadroom() throws Exception {
        ledger.stayQuiet();
        String admin = UserTokens.of("back-office", "admin");
        List<CompletableFuture<HttpResult>> deposits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deposits.add(track(http.postAsync("/api/admin/accounts/payer-" + i + "/deposits", admin,
                    "{\"amount\":10,\"reference\":\"pay-" + i + "\"}")));
            ledger.nextRequest();
        }

        assertThat(deposits).as("three admin calls wait for the ledger at once, beyond the headroom of 2")
                .noneMatch(CompletableFuture::isDone);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void renewalsWaitingForTheLedgerAreBoundedByTheirWaitingPlacesNotByThreadsAndGiveTheirPlaceBackWhenAnswered()
            throws Exception {
        // Three wait for the ledger, more than the game's two thread places: a waiting call holds no thread.
        List<CompletableFuture<HttpResult>> waiting = renewalsTheLedgerDoesNotAnswer();

        // They hold every waiting place of the game budget.
        assertThat(inUse("game-waiting")).isEqualTo(3);
        // ... but no thread place: each gives it back as its thread lets go, a moment after its request is sent.
        await().atMost(Duration.ofSeconds(5)).until(() -> inUse("game") == 0);
        assertBusy(http.post("/api/game/renew", UserTokens.of("late-renewer"), RENEW));
        assertThat(http.get("/api/cloud/queue", UserTokens.of("late-renewer")).errorCode()).isEqualTo("not_queued");

        assertThat(answers(waiting)).extracting(HttpResult::errorCode).containsOnly("ledger_unavailable");
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 4_000L, 97L, "standard"));
        assertThat(renew("late-renewer").status()).isEqualTo(200);
        assertThat(renew("later-renewer").status()).isEqualTo(200);
    }

    @Test
    void aStopGetsThroughWhenRenewalsHoldTheGameBudgetAndNoOtherCallCanUseItsReserve() throws Exception {
        List<CompletableFuture<HttpResult>> waiting = renewalsTheLedgerDoesNotAnswer();
        assertBusy(http.post("/api/game/renew", UserTokens.of("late-renewer"), RENEW));

        // The stop reaches the ledger: it ends billing, which a refusal would leave running.
        waiting.add(track(http.postAsync("/api/game/stop", UserTokens.of("stopping-player"), STOP)));
        assertThat(ledger.nextRequest().request().operation()).isInstanceOf(LedgerOperation.StopSession.class);

        // Other game calls never take the stop reserve, however they spell a stop.
        assertBusy(http.post("/api/game/renew?path=/api/game/stop", UserTokens.of("late-renewer"), RENEW));
        for (String spelling : List.of("/api/game/renew;/api/game/stop", "/api/game/stop/../renew",
                "/api/game/stop/%2e%2e/renew")) {
            HttpResult answer = http.post(spelling, UserTokens.of("late-renewer"), RENEW);
            assertThat(answer.status()).as(spelling + ": " + answer).isIn(400, 503);
        }
        assertBusy(http.post("/api/game/start", UserTokens.of("late-renewer"), STOP));
        // The waiting places of the game and of stops both held, a further stop is refused too: stops stay bounded.
        assertBusy(http.post("/api/game/stop", UserTokens.of("second-stopper"), STOP));
        assertThat(ledger.drain()).as("no refused call reached the ledger").isEmpty();

        assertThat(answers(waiting)).extracting(HttpResult::errorCode).containsOnly("ledger_unavailable");
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 4_000L, 97L, "standard"));
        assertThat(http.post("/api/game/stop", UserTokens.of("second-stopper"), STOP).status()).isEqualTo(200);
    }

    /**
     * Three renewals sent to a ledger that stays quiet: all wait, holding the game's waiting places (3 here). Each is
     * sent once the last has reached the ledger: sent at once, the third would find both thread places taken.
     */
    private List<CompletableFuture<HttpResult>> renewalsTheLedgerDoesNotAnswer() throws InterruptedException {
        ledger.stayQuiet();
        List<CompletableFuture<HttpResult>> waiting = new ArrayList<>();
        for (String user : List.of("slow-renewer-1", "slow-renewer-2", "slow-renewer-3")) {
            waiting.add(track(http.postAsync("/api/game/renew", UserTokens.of(user), RENEW)));
            ledger.nextRequest();
        }
        return waiting;
    }

    private double inUse(String place) {
        return meters.get("playbill.gateway.concurrency.in.use").tag("place", place).gauge().value();
    }

    private HttpResult renew(String user) throws Exception {
        // A renewal must not wait for the stalled dependency: it answers well within the SDK's patience.
        return http.postAsync("/api/game/renew", UserTokens.of(user), RENEW).get(5, TimeUnit.SECONDS);
    }

    private List<CompletableFuture<HttpResult>> tenAtOnce(java.util.function.IntFunction<HttpResult> call) {
        return IntStream.range(0, 10)
                .mapToObj(i -> track(CompletableFuture.supplyAsync(() -> call.apply(i), clients)))
                .toList();
    }

    private CompletableFuture<HttpResult> track(CompletableFuture<HttpResult> call) {
        calls.add(call);
        return call;
    }

    /** The first {@code count} answers, waiting up to 10 s for them; the others are still open then. */
    private static List<HttpResult> firstAnswers(List<CompletableFuture<HttpResult>> pending, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Supplier<List<HttpResult>> done = () -> pending.stream().filter(CompletableFuture::isDone)
                .map(CompletableFuture::join).toList();
        while (done.get().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(done.get()).as("answered at once").hasSize(count);
        return done.get();
    }

    private static List<HttpResult> answers(List<CompletableFuture<HttpResult>> calls) throws Exception {
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private static void assertBusy(HttpResult result) {
        assertThat(result.status()).as(result.toString()).isEqualTo(503);
        assertThat(result.errorCode()).isEqualTo("busy");
        assertThat(result.header("Retry-After")).isEqualTo("1");
    }

    private static boolean isBusy(HttpResult result) {
        return result.body().contains("\"busy\"");
    }

    private static String bootstrapServers() {
        return PlaybillTestInfrastructure.shared().kafkaBootstrapServers();
    }
}
