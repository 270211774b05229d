package io.playbill.gsemulator;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.gs.v20191118.GsClient;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionRequest;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionResponse;
import com.tencentcloudapi.gs.v20191118.models.TrylockWorkerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.stopGame;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The GS flow (lock, create, stop) driven through the real Tencent SDK. */
class GsEmulatorSdkTest {

    private static final String GAME = "game-chess";

    private final ManualClock clock = new ManualClock(Instant.now());
    private GsEmulator emulator;
    private GsClient gs;

    private void start(GsEmulatorConfig config) {
        emulator = GsEmulator.start(config.withClock(clock));
        gs = Sdk.client(emulator);
    }

    private void start(int workersPerGame) {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(workersPerGame));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void lockThenCreateSessionAnswersAServerSessionForTheClientSession() throws Exception {
        start(2);

        gs.TrylockWorker(trylock("alice", GAME));
        CreateSessionResponse session = gs.CreateSession(createSession("alice", GAME, "client-session-of-alice"));

        assertThat(session.getRole()).isEqualTo("Player");
        assertThat(session.getRequestId()).isNotBlank();
        assertThat(new String(Base64.getDecoder().decode(session.getServerSession()), StandardCharsets.UTF_8))
                .isEqualTo("gs-emulator|game-chess:ap-guangzhou:1|client-session-of-alice");
        assertThat(emulator.state().sessions()).singleElement()
                .satisfies(s -> assertThat(s.userId()).isEqualTo("alice"));
        assertThat(emulator.state().locks()).isEmpty();
    }

    @Test
    void theGroupATrylockNamesIsRecordedOnItsLockAndThenItsSession() throws Exception {
        start(2);
        TrylockWorkerRequest lock = trylock("alice", GAME);
        lock.setGroupId("gp-premium");

        gs.TrylockWorker(lock);
        assertThat(emulator.state().locks()).singleElement()
                .satisfies(l -> assertThat(l.requestedGroup()).isEqualTo("gp-premium"));
        gs.TrylockWorker(trylock("bob", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));

        assertThat(emulator.state().sessions()).singleElement()
                .satisfies(s -> assertThat(s.requestedGroup()).isEqualTo("gp-premium"));
        assertThat(emulator.state().locks()).singleElement()
                .satisfies(l -> assertThat(l.requestedGroup()).as("none named").isEmpty());
    }

    @Test
    void whenThePoolIsFullTheNextUserGetsNoIdle() throws Exception {
        start(1);
        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME)))).isEqualTo("ResourceNotFound.NoIdle");
        gs.TrylockWorker(trylock("bob", "another-game")); // pools are per game
    }

    @Test
    void perGameWorkerCountOverridesTheDefault() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withWorkersForGame(GAME, 2));

        gs.TrylockWorker(trylock("alice", GAME));
        gs.TrylockWorker(trylock("bob", GAME));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("carol", GAME)))).isEqualTo("ResourceNotFound.NoIdle");
    }

    @Test
    void stopGameFreesTheWorkerForAnotherUserOnceStopped() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withStoppingWindow(Duration.ofSeconds(2)));
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));

        gs.StopGame(stopGame("alice"));
        clock.advance(Duration.ofSeconds(2));

        gs.TrylockWorker(trylock("bob", GAME));
        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId).containsExactly("bob");
        assertThat(emulator.state().sessions()).isEmpty();
    }

    @Test
    void stopGameAlsoFreesAMereLock() throws Exception {
        start(1);
        gs.TrylockWorker(trylock("alice", GAME));

        gs.StopGame(stopGame("alice"));

        gs.TrylockWorker(trylock("bob", GAME));
    }

    @Test
    void stopGameForAUserHoldingNothingSucceeds() throws Exception {
        start(1);

        assertThat(gs.StopGame(stopGame("nobody")).getRequestId()).isNotBlank();
    }

    @Test
    void lockingAgainForTheSameGameIsIdempotent() throws Exception {
        start(1);
        gs.TrylockWorker(trylock("alice", GAME));
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));

        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(emulator.state().sessions()).hasSize(1);
        assertThat(emulator.state().pools()).singleElement().satisfies(p -> assertThat(p.idle()).isZero());
    }

    @Test
    void aUserHoldingOneGameCannotLockAnother() throws Exception {
        start(2);
        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", "another-game")))).isEqualTo("FailedOperation");
    }

    @Test
    void createSessionWithoutALockAnswersLockTimeout() {
        start(2);

        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs-alice"))))
                .isEqualTo("FailedOperation.LockTimeout");
    }

    @Test
    void createSessionFindsTheLockByUserIdWhateverGameAndRegionItNames() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersForGame(GAME, "ap-shanghai", 1));
        gs.TrylockWorker(trylock("alice", GAME, "ap-shanghai"));
        CreateSessionRequest otherGame = createSession("alice", "another-game", "cs-alice");
        otherGame.setGameRegion("eu-frankfurt");

        CreateSessionResponse session = gs.CreateSession(otherGame);

        assertThat(new String(Base64.getDecoder().decode(session.getServerSession()), StandardCharsets.UTF_8))
                .isEqualTo("gs-emulator|game-chess:ap-shanghai:1|cs-alice");
        assertThat(emulator.state().sessions()).singleElement().satisfies(s -> {
            assertThat(s.gameId()).isEqualTo(GAME);
            assertThat(s.gameRegion()).isEqualTo("ap-shanghai");
        });
    }

    @Test
    void createSessionStillNeedsAGameIdAsTheApiPageMarksItRequired() throws Exception {
        start(2);
        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", null, "cs-alice"))))
                .isEqualTo("MissingParameter");
        assertThat(emulator.state().locks()).hasSize(1);
    }

    @Test
    void runWithoutClientNeedsNoClientSession() throws Exception {
        start(2);
        gs.TrylockWorker(trylock("alice", GAME));
        CreateSessionRequest headless = createSession("alice", GAME, null);
        headless.setRunMode("RunWithoutClient");

        CreateSessionResponse session = gs.CreateSession(headless);

        assertThat(new String(Base64.getDecoder().decode(session.getServerSession()), StandardCharsets.UTF_8))
                .isEqualTo("gs-emulator|game-chess:ap-guangzhou:1|");
        assertThat(emulator.state().sessions()).hasSize(1);
    }

    @Test
    void anUnknownRunModeIsAnInvalidValue() throws Exception {
        start(2);
        gs.TrylockWorker(trylock("alice", GAME));
        CreateSessionRequest request = createSession("alice", GAME, "cs-alice");
        request.setRunMode("RunForever");

        assertThat(errorCode(() -> gs.CreateSession(request))).isEqualTo("InvalidParameterValue");
        assertThat(emulator.state().sessions()).isEmpty();
    }

    @Test
    void aLockNotFollowedByCreateSessionLapsesAndFreesTheWorker() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withLockTimeout(Duration.ofSeconds(30)));
        gs.TrylockWorker(trylock("alice", GAME));

        clock.advance(Duration.ofSeconds(29));
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME)))).isEqualTo("ResourceNotFound.NoIdle");

        clock.advance(Duration.ofSeconds(1));
        gs.TrylockWorker(trylock("bob", GAME));
        gs.CreateSession(createSession("bob", GAME, "cs-bob"));
    }

    @Test
    void createSessionAfterTheLockLapsedAnswersLockTimeoutWhileItsWorkerIsStillIdle() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withLockTimeout(Duration.ofSeconds(30)));
        gs.TrylockWorker(trylock("alice", GAME));

        clock.advance(Duration.ofSeconds(30));

        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs-alice"))))
                .isEqualTo("FailedOperation.LockTimeout");
        assertThat(emulator.state().pools()).singleElement().satisfies(p -> assertThat(p.idle()).isEqualTo(1));
    }

    @Test
    void createSessionAfterTheLockLapsedAnswersNoIdleOnceAnotherUserTookItsWorker() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withLockTimeout(Duration.ofSeconds(30)));
        gs.TrylockWorker(trylock("alice", GAME));
        clock.advance(Duration.ofSeconds(30));
        gs.TrylockWorker(trylock("bob", GAME));

        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs-alice"))))
                .isEqualTo("ResourceNotFound.NoIdle");
        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId).containsExactly("bob");

        gs.StopGame(stopGame("bob"));
        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs-alice"))))
                .as("the worker is idle again").isEqualTo("FailedOperation.LockTimeout");
    }

    @Test
    void aRunningSessionDoesNotExpire() throws Exception {
        start(GsEmulatorConfig.defaults().withWorkersPerGame(1).withLockTimeout(Duration.ofSeconds(30)));
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));

        clock.advance(Duration.ofMinutes(4)); // still inside the signature's 5 min window

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME)))).isEqualTo("ResourceNotFound.NoIdle");
    }

    @Test
    void anInjectedFaultIsAnsweredExactlyNTimesThenTheActionWorksAgain() throws Exception {
        start(2);
        emulator.failNext("CreateSession", "FailedOperation.SlowDown", 2);
        gs.TrylockWorker(trylock("alice", GAME));
        CreateSessionRequest create = createSession("alice", GAME, "cs-alice");

        assertThat(errorCode(() -> gs.CreateSession(create))).isEqualTo("FailedOperation.SlowDown");
        assertThat(emulator.state().faults()).singleElement().satisfies(f -> assertThat(f.remaining()).isEqualTo(1));
        assertThat(errorCode(() -> gs.CreateSession(create))).isEqualTo("FailedOperation.SlowDown");
        assertThat(gs.CreateSession(create).getServerSession()).isNotBlank();
        assertThat(emulator.state().faults()).isEmpty();
    }

    @Test
    void faultsForOneActionDoNotTouchOthers() throws Exception {
        start(2);
        emulator.failNext("StopGame", "InternalError", 1);

        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(errorCode(() -> gs.StopGame(stopGame("alice")))).isEqualTo("InternalError");
        assertThat(emulator.state().locks()).hasSize(1); // the failed StopGame did nothing
    }

    @Test
    void theJournalRecordsEachCallWithItsUserAndResult() throws Exception {
        start(1);
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));
        errorCode(() -> gs.TrylockWorker(trylock("bob", GAME)));
        gs.StopGame(stopGame("alice"));

        assertThat(emulator.journal())
                .extracting(JournalEntry::action, JournalEntry::userId, JournalEntry::code)
                .containsExactly(
                        tuple("TrylockWorker", "alice", JournalEntry.OK),
                        tuple("CreateSession", "alice", JournalEntry.OK),
                        tuple("TrylockWorker", "bob", "ResourceNotFound.NoIdle"),
                        tuple("StopGame", "alice", JournalEntry.OK));
        assertThat(emulator.journal()).extracting(JournalEntry::requestId).doesNotHaveDuplicates();
    }

    @Test
    void missingRequiredFieldsAnswerMissingParameter() {
        start(2);
        TrylockWorkerRequest noGame = trylock("alice", null);
        CreateSessionRequest noClientSession = createSession("alice", GAME, null);

        assertThat(errorCode(() -> gs.TrylockWorker(noGame))).isEqualTo("MissingParameter");
        assertThat(errorCode(() -> gs.CreateSession(noClientSession))).isEqualTo("MissingParameter");
        assertThat(errorCode(() -> gs.StopGame(stopGame(null)))).isEqualTo("MissingParameter");
    }

    @Test
    void onlyThePlayerRoleIsEmulated() throws Exception {
        start(2);
        gs.TrylockWorker(trylock("alice", GAME));
        CreateSessionRequest viewer = createSession("alice", GAME, "cs-alice");
        viewer.setRole("Viewer");

        assertThat(errorCode(() -> gs.CreateSession(viewer))).isEqualTo("InvalidParameterValue");
    }

    @Test
    void anActionThatIsNotEmulatedAnswersInvalidAction() {
        start(2);

        assertThat(errorCode(() -> gs.call("DescribeInstancesCount", "{}"))).isEqualTo("InvalidAction");
    }

    @Test
    void concurrentLocksNeverHandOutMoreWorkersThanThePoolHas() throws Exception {
        start(3);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String user = "user-" + i;
                calls.add(() -> {
                    try {
                        Sdk.client(emulator).TrylockWorker(trylock(user, GAME));
                        return JournalEntry.OK;
                    } catch (TencentCloudSDKException e) {
                        return e.getErrorCode();
                    }
                });
            }
            List<String> results = new ArrayList<>();
            for (Future<String> result : threads.invokeAll(calls)) {
                results.add(result.get());
            }

            assertThat(results).filteredOn(JournalEntry.OK::equals).hasSize(3);
            assertThat(results).filteredOn("ResourceNotFound.NoIdle"::equals).hasSize(5);
            assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::workerId).doesNotHaveDuplicates()
                    .hasSize(3);
        } finally {
            threads.shutdownNow();
        }
    }
}
