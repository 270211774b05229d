package io.playbill.gsemulator;

import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.stopGame;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;

/** After StopGame a running session's worker keeps stopping for a while, as in the real service. */
class StoppingWindowTest {

    private static final String GAME = "game-chess";
    private static final Duration WINDOW = Duration.ofSeconds(2);

    private final ManualClock clock = new ManualClock(Instant.now());
    private GsEmulator emulator;
    private GsClient gs;

    private void start(Duration stoppingWindow) throws Exception {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults().withWorkersPerGame(1)
                .withStoppingWindow(stoppingWindow).withClock(clock));
        gs = Sdk.client(emulator);
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice"));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void duringTheWindowTheUserIsAnsweredStoppingAndAfterItTheyPlayAgain() throws Exception {
        start(WINDOW);
        gs.StopGame(stopGame("alice"));

        clock.advance(WINDOW.minusMillis(1));
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", GAME)))).isEqualTo("UnsupportedOperation.Stopping");
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", "another-game"))))
                .as("whatever game they ask for").isEqualTo("UnsupportedOperation.Stopping");
        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs-alice"))))
                .isEqualTo("UnsupportedOperation.Stopping");

        clock.advance(Duration.ofMillis(1));
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs-alice-2"));
        assertThat(emulator.state().sessions()).extracting(EmulatorState.Session::userId).containsExactly("alice");
    }

    @Test
    void aStoppingWorkerIsIdleForNobody() throws Exception {
        start(WINDOW);
        gs.StopGame(stopGame("alice"));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME)))).isEqualTo("ResourceNotFound.NoIdle");
        assertThat(emulator.state().pools()).singleElement().satisfies(pool -> {
            assertThat(pool.idle()).isZero();
            assertThat(pool.stopping()).isEqualTo(1);
        });

        clock.advance(WINDOW);
        gs.TrylockWorker(trylock("bob", GAME));
    }

    @Test
    void theStateShowsTheStoppingWorkerUntilItsWindowEnds() throws Exception {
        start(WINDOW);
        Instant stoppedAt = clock.instant();

        gs.StopGame(stopGame("alice"));

        assertThat(emulator.state().stopping()).singleElement().satisfies(stop -> {
            assertThat(stop.userId()).isEqualTo("alice");
            assertThat(stop.workerId()).isEqualTo("game-chess:ap-guangzhou:1");
            assertThat(stop.until()).isEqualTo(stoppedAt.plus(WINDOW));
        });
        assertThat(emulator.state().sessions()).isEmpty();
        clock.advance(WINDOW);
        assertThat(emulator.state().stopping()).isEmpty();
    }

    @Test
    void stopGameDuringTheWindowSucceedsWithoutExtendingIt() throws Exception {
        start(WINDOW);
        gs.StopGame(stopGame("alice"));
        clock.advance(Duration.ofSeconds(1));

        gs.StopGame(stopGame("alice"));

        clock.advance(Duration.ofSeconds(1));
        gs.TrylockWorker(trylock("alice", GAME));
    }

    @Test
    void aMereLockIsFreedAtOnceBecauseNoGameRanOnIt() throws Exception {
        start(WINDOW);
        gs.TrylockWorker(trylock("bob", "another-game"));

        gs.StopGame(stopGame("bob"));

        gs.TrylockWorker(trylock("bob", "another-game"));
        assertThat(emulator.state().stopping()).isEmpty();
    }

    @Test
    void aZeroWindowFreesTheWorkerAtOnce() throws Exception {
        start(Duration.ZERO);

        gs.StopGame(stopGame("alice"));

        gs.TrylockWorker(trylock("bob", GAME));
        gs.TrylockWorker(trylock("alice", "another-game"));
    }

    @Test
    void resetEndsEveryStoppingWindow() throws Exception {
        start(WINDOW);
        gs.StopGame(stopGame("alice"));

        emulator.reset();

        gs.TrylockWorker(trylock("alice", GAME));
    }
}
