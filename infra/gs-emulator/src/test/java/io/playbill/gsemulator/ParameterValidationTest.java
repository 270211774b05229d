package io.playbill.gsemulator;

import com.tencentcloudapi.gs.v20191118.GsClient;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionRequest;
import com.tencentcloudapi.gs.v20191118.models.TrylockWorkerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;

/** Parameters are checked as the GS API pages document them, through the real SDK. */
class ParameterValidationTest {

    private static final String GAME = "game-chess";

    private GsEmulator emulator;
    private GsClient gs;

    @BeforeEach
    void startEmulatorAndLock() throws Exception {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults());
        gs = Sdk.client(emulator);
        gs.TrylockWorker(trylock("alice", GAME));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    static Stream<Arguments> validCreateSessions() {
        return Stream.of(
                Arguments.of("Fps 30", set(r -> r.setFps(30L))),
                Arguments.of("Fps 45", set(r -> r.setFps(45L))),
                Arguments.of("Fps 60", set(r -> r.setFps(60L))),
                Arguments.of("Fps 90", set(r -> r.setFps(90L))),
                Arguments.of("Fps 120", set(r -> r.setFps(120L))),
                Arguments.of("Fps 144", set(r -> r.setFps(144L))),
                Arguments.of("Mbps bitrates 1..100", set(r -> {
                    r.setMinBitrate(1L);
                    r.setMaxBitrate(100L);
                })),
                Arguments.of("equal Min and Max bitrates", set(r -> {
                    r.setMinBitrate(8L);
                    r.setMaxBitrate(8L);
                })),
                Arguments.of("deprecated Bitrate, any integer, ignored", set(r -> r.setBitrate(8000L))),
                Arguments.of("Resolution 1080p", set(r -> r.setResolution("1080p"))),
                Arguments.of("Resolution 720p", set(r -> r.setResolution("720p"))),
                Arguments.of("Resolution 1280x720", set(r -> r.setResolution("1280x720"))),
                Arguments.of("Role Player", set(r -> r.setRole("Player"))),
                Arguments.of("IPv4 UserIp", set(r -> r.setUserIp("203.0.113.7"))),
                Arguments.of("IPv6 UserIp", set(r -> r.setUserIp("2001:db8::7"))),
                Arguments.of("IPv4-mapped UserIp, as the Node demo sends it", set(r -> r.setUserIp("::ffff:127.0.0.1"))),
                Arguments.of("a ClientSession of 8 KiB, as the JS SDK makes", set(r -> r.setClientSession(
                        "eyJzZHAiOiJ2PTAi".repeat(512)))),
                Arguments.of("the other optional strings", set(r -> {
                    r.setGameParas("-level 3");
                    r.setImageUrl("https://example.com/bg.png");
                    r.setGameContext("{}");
                    r.setHostUserId("alice");
                    r.setSetNo(1L);
                    r.setOptimization(0L);
                })));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCreateSessions")
    void documentedValuesAreAccepted(String what, Consumer<CreateSessionRequest> change) throws Exception {
        CreateSessionRequest request = createSession("alice", GAME, "cs-alice");
        change.accept(request);

        assertThat(gs.CreateSession(request).getServerSession()).isNotBlank();
    }

    static Stream<Arguments> invalidCreateSessions() {
        return Stream.of(
                Arguments.of("Fps 25", set(r -> r.setFps(25L))),
                Arguments.of("Fps 240", set(r -> r.setFps(240L))),
                Arguments.of("MaxBitrate in kbit/s", set(r -> r.setMaxBitrate(8000L))),
                Arguments.of("MinBitrate 0", set(r -> r.setMinBitrate(0L))),
                Arguments.of("MinBitrate above MaxBitrate", set(r -> {
                    r.setMinBitrate(10L);
                    r.setMaxBitrate(5L);
                })),
                Arguments.of("Resolution 4k", set(r -> r.setResolution("4k"))),
                Arguments.of("Resolution 1440p", set(r -> r.setResolution("1440p"))),
                Arguments.of("Resolution 1920*1080", set(r -> r.setResolution("1920*1080"))),
                Arguments.of("Resolution 0x1080", set(r -> r.setResolution("0x1080"))),
                Arguments.of("Role Viewer, not emulated", set(r -> r.setRole("Viewer"))),
                Arguments.of("Role Admin", set(r -> r.setRole("Admin"))),
                Arguments.of("UserIp a host name", set(r -> r.setUserIp("localhost"))),
                Arguments.of("UserIp out of range", set(r -> r.setUserIp("203.0.113.256"))),
                Arguments.of("UserIp three octets", set(r -> r.setUserIp("203.0.113"))),
                Arguments.of("UserIp a broken IPv6", set(r -> r.setUserIp("2001:db8::7::1"))),
                Arguments.of("RunMode unknown", set(r -> r.setRunMode("Headless"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCreateSessions")
    void undocumentedValuesAnswerInvalidParameterValueAndChangeNothing(String what,
                                                                        Consumer<CreateSessionRequest> change) {
        CreateSessionRequest request = createSession("alice", GAME, "cs-alice");
        change.accept(request);

        assertThat(errorCode(() -> gs.CreateSession(request))).isEqualTo("InvalidParameterValue");
        assertThat(emulator.state().sessions()).isEmpty();
        assertThat(emulator.state().locks()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0", "1.2.3.4.5", "::1%lo", "[::1]"})
    void trylockWorkerRefusesAUserIpThatIsNotAnAddress(String userIp) {
        TrylockWorkerRequest request = trylock("bob", GAME);
        request.setUserIp(userIp);

        assertThat(errorCode(() -> gs.TrylockWorker(request))).isEqualTo("InvalidParameterValue");
        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId).containsExactly("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"UserId\":\"alice\",\"GameId\":\"game-chess\",\"ClientSession\":\"cs\",\"Fps\":\"60\"}",
            "{\"UserId\":\"alice\",\"GameId\":\"game-chess\",\"ClientSession\":\"cs\",\"MaxBitrate\":4.5}",
            "{\"UserId\":\"alice\",\"GameId\":\"game-chess\",\"ClientSession\":\"cs\",\"Bitrate\":\"8000\"}",
            "{\"UserId\":42,\"GameId\":\"game-chess\",\"ClientSession\":\"cs\"}",
            "{\"UserId\":\"alice\",\"GameId\":[\"game-chess\"],\"ClientSession\":\"cs\"}",
            "{\"UserId\":\"alice\",\"GameId\":\"game-chess\",\"ClientSession\":{\"sdp\":\"x\"}}"})
    void aValueOfTheWrongTypeAnswersInvalidParameterValue(String body) {
        assertThat(errorCode(() -> gs.call("CreateSession", body))).isEqualTo("InvalidParameterValue");
        assertThat(emulator.state().sessions()).isEmpty();
    }

    @Test
    void trylockWorkerChecksTypesToo() {
        assertThat(errorCode(() -> gs.call("TrylockWorker", "{\"UserId\":\"bob\",\"GameId\":\"g\",\"SetNo\":\"1\"}")))
                .isEqualTo("InvalidParameterValue");
        assertThat(errorCode(() -> gs.call("TrylockWorker", "{\"UserId\":\"bob\",\"GameId\":true}")))
                .isEqualTo("InvalidParameterValue");
        assertThat(errorCode(() -> gs.call("StopGame", "{\"UserId\":[\"alice\"]}")))
                .isEqualTo("InvalidParameterValue");
        assertThat(emulator.state().locks()).extracting(EmulatorState.Lock::userId).containsExactly("alice");
    }

    @Test
    void aBodyThatIsNotJsonAnswersJsonParseError() {
        assertThat(errorCode(() -> gs.call("CreateSession", "{\"UserId\":\"alice\",")))
                .isEqualTo("InvalidParameter.JsonParseError");
        assertThat(errorCode(() -> gs.call("TrylockWorker", "\"alice\""))).isEqualTo("InvalidParameter.JsonParseError");
    }

    @Test
    void aClientSessionIsRequiredUnlessTheGameRunsWithoutClient() {
        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, null)))).isEqualTo("MissingParameter");
        assertThat(errorCode(() -> gs.CreateSession(createSession("alice", GAME, "  ")))).isEqualTo("MissingParameter");
    }

    /** Java cannot infer a lambda's type inside Arguments.of. */
    private static Consumer<CreateSessionRequest> set(Consumer<CreateSessionRequest> change) {
        return change;
    }
}
