package io.playbill.gsemulator;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.stopGame;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every error code the GS API pages list for an action can be injected and reaches the SDK as its error code. */
class FaultInjectionTest {

    private static final String GAME = "game-chess";

    private GsEmulator emulator;
    private GsClient gs;

    @BeforeEach
    void startEmulator() {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults());
        gs = Sdk.client(emulator);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    /** The lists of docs/spec/cloud-game.md (from the API pages), plus codes any call may answer. */
    static Stream<Arguments> documentedCodes() {
        Stream<String> trylock = Stream.of("FailedOperation", "FailedOperation.ProcessTimeout", "InternalError",
                "InvalidParameter.JsonParseError", "InvalidParameterValue", "ResourceNotFound.NoIdle",
                "ResourceUnavailable.Initialization", "UnsupportedOperation.Stopping");
        Stream<String> create = Stream.of("FailedOperation", "FailedOperation.ProcessTimeout", "InternalError",
                "InvalidParameter.JsonParseError", "InvalidParameterValue", "ResourceNotFound.NoIdle",
                "ResourceUnavailable.Initialization", "UnsupportedOperation.Stopping", "FailedOperation.LockTimeout",
                "FailedOperation.SlowDown", "FailedOperation.Timeout", "FailedOperation.TooFrequently",
                "LimitExceeded.Role", "OperationDenied", "ResourceNotFound.SessionNotFound");
        Stream<String> stop = Stream.of("FailedOperation", "FailedOperation.ProcessTimeout", "InternalError",
                "InvalidParameter.JsonParseError", "ResourceUnavailable.AccessFailed");
        Stream<String> anyCall = Stream.of("AuthFailure.SignatureFailure", "AuthFailure.SignatureExpire",
                "AuthFailure.SecretIdNotFound", "InvalidAction", "MissingParameter", "RequestLimitExceeded");
        return Stream.of(
                trylock.map(code -> Arguments.of("TrylockWorker", code)),
                create.map(code -> Arguments.of("CreateSession", code)),
                stop.map(code -> Arguments.of("StopGame", code)),
                anyCall.flatMap(code -> Stream.of(Arguments.of("TrylockWorker", code),
                        Arguments.of("CreateSession", code), Arguments.of("StopGame", code))))
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("documentedCodes")
    void eachDocumentedCodeCanBeInjectedAndReachesTheSdk(String action, String code) throws Exception {
        if (!action.equals("TrylockWorker")) {
            gs.TrylockWorker(trylock("alice", GAME));
        }
        emulator.failNext(action, code, 1);

        TencentCloudSDKException e = catchThrowableOfType(TencentCloudSDKException.class, () -> call(action, "alice"));

        assertThat(e).as("the call should have failed").isNotNull();
        assertThat(e.getErrorCode()).isEqualTo(code);
        assertThat(e.getRequestId()).isNotBlank();
        call(action, "alice"); // once only
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "TrylockWorker, FailedOperation.SlowDown",
            "TrylockWorker, FailedOperation.LockTimeout",
            "TrylockWorker, LimitExceeded.Role",
            "StopGame, LimitExceeded.Role",
            "StopGame, ResourceNotFound.NoIdle",
            "StopGame, UnsupportedOperation.Stopping",
            "CreateSession, ResourceUnavailable.AccessFailed",
            "CreateSession, Made.Up"})
    void aCodeTheActionNeverAnswersIsRefused(String action, String code) {
        assertThatThrownBy(() -> emulator.failNext(action, code, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(code);
        assertThat(emulator.state().faults()).isEmpty();
    }

    @Test
    void aFaultForOneUserLeavesOtherUsersAlone() throws Exception {
        emulator.failNextFor("bob", "TrylockWorker", "ResourceUnavailable.Initialization", 2);

        gs.TrylockWorker(trylock("alice", GAME));
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME))))
                .isEqualTo("ResourceUnavailable.Initialization");
        assertThat(emulator.state().faults()).singleElement().satisfies(fault -> {
            assertThat(fault.userId()).isEqualTo("bob");
            assertThat(fault.remaining()).isEqualTo(1);
        });
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", GAME))))
                .isEqualTo("ResourceUnavailable.Initialization");
        gs.TrylockWorker(trylock("bob", GAME));
    }

    @Test
    void aUsersOwnFaultsComeBeforeAnyonesFaults() throws Exception {
        emulator.failNext("CreateSession", "FailedOperation.SlowDown", 1);
        emulator.failNextFor("alice", "CreateSession", "OperationDenied", 1);
        gs.TrylockWorker(trylock("alice", GAME));

        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs")))).isEqualTo("OperationDenied");
        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "cs"))))
                .isEqualTo("FailedOperation.SlowDown");
        gs.CreateSession(createSession("alice", GAME, "cs"));
    }

    private void call(String action, String userId) throws TencentCloudSDKException {
        switch (action) {
            case "TrylockWorker" -> gs.TrylockWorker(trylock(userId, GAME));
            case "CreateSession" -> gs.CreateSession(createSession(userId, GAME, "cs-" + userId));
            default -> gs.StopGame(stopGame(userId));
        }
    }
}
