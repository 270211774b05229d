package io.playbill.gsemulator;

import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.stopGame;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** TrylockWorker's GameRegion is a preference: a game's workers in other regions are used when it has none idle. */
class RegionPreferenceTest {

    private static final String GAME = "game-chess";
    private static final String GUANGZHOU = "ap-guangzhou";
    private static final String SHANGHAI = "ap-shanghai";

    private GsEmulator emulator;
    private GsClient gs;

    @BeforeEach
    void startEmulator() {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults().withStoppingWindow(Duration.ZERO)
                .withWorkersForGame(GAME, GUANGZHOU, 1).withWorkersForGame(GAME, SHANGHAI, 1));
        gs = Sdk.client(emulator);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void theRequestedRegionIsUsedWhileItHasAnIdleWorker() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME, SHANGHAI));

        assertThat(emulator.state().locks()).singleElement().satisfies(lock -> {
            assertThat(lock.gameRegion()).isEqualTo(SHANGHAI);
            assertThat(lock.requestedRegion()).isEqualTo(SHANGHAI);
        });
    }

    @Test
    void whenTheRequestedRegionIsFullAnotherRegionOfTheGameServes() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME, SHANGHAI));

        gs.TrylockWorker(trylock("bob", GAME, SHANGHAI));

        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId, EmulatorState.Lock::gameRegion,
                        EmulatorState.Lock::requestedRegion)
                .containsExactly(tuple("alice", SHANGHAI, SHANGHAI), tuple("bob", GUANGZHOU, SHANGHAI));
    }

    @Test
    void aRegionWhereTheGameHasNoWorkersFallsBackToOneWhereItHas() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME, "eu-frankfurt"));

        assertThat(emulator.state().locks()).singleElement()
                .satisfies(lock -> assertThat(lock.gameRegion()).isEqualTo(GUANGZHOU));
    }

    @Test
    void noIdleOnlyWhenTheGameIsFullInEveryRegion() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME, GUANGZHOU));
        gs.TrylockWorker(trylock("bob", GAME, GUANGZHOU));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("carol", GAME, SHANGHAI))))
                .isEqualTo("ResourceNotFound.NoIdle");
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("carol", GAME, null))))
                .isEqualTo("ResourceNotFound.NoIdle");

        gs.StopGame(stopGame("alice"));
        gs.TrylockWorker(trylock("carol", GAME, SHANGHAI));
        assertThat(emulator.state().locks()).filteredOn(lock -> lock.userId().equals("carol")).singleElement()
                .satisfies(lock -> assertThat(lock.gameRegion()).isEqualTo(GUANGZHOU));
    }

    @Test
    void aPlacedGameHasOnlyItsPlacedWorkersAndOthersKeepTheDefault() throws Exception {
        assertThat(emulator.state().pools())
                .extracting(EmulatorState.Pool::gameId, EmulatorState.Pool::gameRegion, EmulatorState.Pool::size)
                .containsExactly(tuple(GAME, GUANGZHOU, 1), tuple(GAME, SHANGHAI, 1));

        gs.TrylockWorker(trylock("alice", "game-go", SHANGHAI));

        assertThat(emulator.state().pools()).filteredOn(pool -> pool.gameId().equals("game-go")).singleElement()
                .satisfies(pool -> {
                    assertThat(pool.gameRegion()).isEqualTo(GsEmulatorConfig.DEFAULT_REGION);
                    assertThat(pool.size()).isEqualTo(2);
                    assertThat(pool.idle()).isEqualTo(1);
                });
    }

    @Test
    void relockingKeepsTheWorkerWhateverRegionIsAskedForNow() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME, SHANGHAI));

        gs.TrylockWorker(trylock("alice", GAME, GUANGZHOU));

        assertThat(emulator.state().locks()).singleElement()
                .satisfies(lock -> assertThat(lock.gameRegion()).isEqualTo(SHANGHAI));
        assertThat(emulator.state().pools()).extracting(EmulatorState.Pool::idle).containsExactly(1, 0);
    }
}
