package io.playbill.gsemulator;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.stopGame;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;

/** A hook runs once, inside its user's next call of its action: after the action took effect, before the answer. */
class CallHooksTest {

    private static final String GAME = "game-chess";

    private GsEmulator emulator;
    private GsClient gs;

    @BeforeEach
    void startEmulator() {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults().withWorkersPerGame(1)
                .withStoppingWindow(Duration.ZERO));
        gs = Sdk.client(emulator);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void aHookSeesItsCallsEffectAndMayCallTheEmulatorBeforeTheCallerIsAnswered() throws Exception {
        gs.TrylockWorker(trylock("alice", GAME));
        gs.CreateSession(createSession("alice", GAME, "cs"));
        List<String> seen = new ArrayList<>();
        emulator.afterNext("StopGame", "alice", () -> {
            seen.add("sessions in the hook: " + emulator.state().sessions().size());
            // Another caller takes the worker alice's stop just freed, before alice's caller hears of the stop.
            seen.add("bob's lock: " + outcome(() -> gs.TrylockWorker(trylock("bob", GAME))));
        });

        gs.StopGame(stopGame("alice"));
        seen.add("answered");

        assertThat(seen).containsExactly("sessions in the hook: 0", "bob's lock: OK", "answered");
        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId).containsExactly("bob");
    }

    @Test
    void aHookRunsOnceAndOnlyForItsUsersCallsOfItsAction() throws Exception {
        List<String> runs = new ArrayList<>();
        emulator.afterNext("StopGame", "alice", () -> runs.add("alice's stop"));

        gs.StopGame(stopGame("bob"));
        gs.TrylockWorker(trylock("alice", GAME));
        assertThat(runs).as("other users' calls and other actions").isEmpty();

        gs.StopGame(stopGame("alice"));
        gs.StopGame(stopGame("alice"));
        assertThat(runs).containsExactly("alice's stop");
    }

    @Test
    void aHookAlsoRunsInACallAnsweredWithAnInjectedFault() {
        List<String> runs = new ArrayList<>();
        emulator.failNextFor("alice", "StopGame", "InternalError", 1);
        emulator.afterNext("StopGame", "alice", () -> runs.add("in the failing stop"));

        assertThat(outcome(() -> gs.StopGame(stopGame("alice")))).isEqualTo("InternalError");
        assertThat(runs).containsExactly("in the failing stop");
    }

    private interface GsCall {
        void run() throws TencentCloudSDKException;
    }

    private static String outcome(GsCall call) {
        try {
            call.run();
            return "OK";
        } catch (TencentCloudSDKException e) {
            return e.getErrorCode();
        }
    }
}
