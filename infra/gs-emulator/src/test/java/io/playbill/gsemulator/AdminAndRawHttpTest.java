package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Instant;

import static io.playbill.gsemulator.Sdk.createSession;
import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The /_emulator admin endpoints, and GS API requests that only plain HTTP can send. */
class AdminAndRawHttpTest {

    private GsEmulator emulator;
    private GsClient gs;
    private RawGsClient raw;

    private final ManualClock clock = new ManualClock(Instant.now());

    @BeforeEach
    void startEmulator() {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults().withWorkersPerGame(2).withClock(clock));
        gs = Sdk.client(emulator);
        raw = new RawGsClient(emulator);
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void stateShowsPoolsLocksSessionsAndTheJournal() throws Exception {
        gs.TrylockWorker(trylock("alice", "game-a"));
        gs.CreateSession(createSession("alice", "game-a", "cs-alice"));
        gs.TrylockWorker(trylock("bob", "game-a"));

        HttpResponse<String> response = raw.get("/_emulator/state");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode state = raw.json(response);
        assertThat(state.at("/pools/0/gameId").asText()).isEqualTo("game-a");
        assertThat(state.at("/pools/0/gameRegion").asText()).isEqualTo(Sdk.REGION);
        assertThat(state.at("/pools/0/size").asInt()).isEqualTo(2);
        assertThat(state.at("/pools/0/idle").asInt()).isZero();
        assertThat(state.at("/sessions/0/userId").asText()).isEqualTo("alice");
        assertThat(state.at("/pools/0/stopping").asInt()).isZero();
        assertThat(state.at("/sessions/0/gameRegion").asText()).isEqualTo(Sdk.REGION);
        assertThat(state.at("/sessions/0/requestedRegion").asText()).isEqualTo(Sdk.REGION);
        assertThat(state.at("/locks/0/userId").asText()).isEqualTo("bob");
        assertThat(state.at("/locks/0/expiresAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        assertThat(state.at("/stopping").size()).isZero();
        assertThat(state.at("/journal").size()).isEqualTo(3);
        assertThat(state.at("/journal/2/action").asText()).isEqualTo("TrylockWorker");
        assertThat(state.at("/journal/2/userId").asText()).isEqualTo("bob");
        assertThat(state.at("/journal/2/code").asText()).isEqualTo("OK");
    }

    @Test
    void faultsPostedOverHttpAreAnsweredToTheSdk() throws Exception {
        HttpResponse<String> response = raw.post("/_emulator/faults",
                "{\"action\":\"TrylockWorker\",\"code\":\"ResourceUnavailable.Initialization\",\"times\":1}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(raw.json(response).at("/faults/0/code").asText()).isEqualTo("ResourceUnavailable.Initialization");
        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", "game-a"))))
                .isEqualTo("ResourceUnavailable.Initialization");
        gs.TrylockWorker(trylock("alice", "game-a"));
    }

    @Test
    void theStateShowsStoppingWorkers() throws Exception {
        gs.TrylockWorker(trylock("alice", "game-a"));
        gs.CreateSession(createSession("alice", "game-a", "cs-alice"));
        gs.StopGame(Sdk.stopGame("alice"));

        JsonNode state = raw.json(raw.get("/_emulator/state"));

        assertThat(state.at("/pools/0/stopping").asInt()).isEqualTo(1);
        assertThat(state.at("/pools/0/idle").asInt()).isEqualTo(1);
        assertThat(state.at("/stopping/0/userId").asText()).isEqualTo("alice");
        assertThat(state.at("/stopping/0/workerId").asText()).isEqualTo("game-a:ap-guangzhou:1");
        assertThat(Instant.parse(state.at("/stopping/0/until").asText())).isAfter(clock.instant());
    }

    @Test
    void aFaultPostedForOneUserIsAnsweredToThatUserOnly() throws Exception {
        HttpResponse<String> response = raw.post("/_emulator/faults",
                "{\"action\":\"CreateSession\",\"code\":\"UnsupportedOperation.Stopping\",\"userId\":\"bob\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(raw.json(response).at("/faults/0/userId").asText()).isEqualTo("bob");
        gs.TrylockWorker(trylock("alice", "game-a"));
        gs.CreateSession(createSession("alice", "game-a", "cs-alice"));
        gs.TrylockWorker(trylock("bob", "game-a"));
        assertThat(errorCode(() -> gs.CreateSession(createSession("bob", "game-a", "cs-bob"))))
                .isEqualTo("UnsupportedOperation.Stopping");
    }

    @Test
    void badFaultRequestsAreRefusedWithBadRequest() throws Exception {
        HttpResponse<String> undocumented = raw.post("/_emulator/faults",
                "{\"action\":\"TrylockWorker\",\"code\":\"FailedOperation.SlowDown\"}");
        assertThat(undocumented.statusCode()).isEqualTo(400);
        assertThat(raw.json(undocumented).get("error").asText())
                .contains("FailedOperation.SlowDown is not an error TrylockWorker answers")
                .contains("ResourceNotFound.NoIdle");
        assertThat(raw.post("/_emulator/faults", "{\"action\":\"StopGame\",\"code\":\"InternalError\","
                + "\"userId\":\" \"}").statusCode()).isEqualTo(400);
        assertThat(raw.post("/_emulator/faults", "[]").statusCode()).isEqualTo(400);
        assertThat(raw.post("/_emulator/faults", "{\"action\":\"NoSuchAction\",\"code\":\"InternalError\"}").statusCode())
                .isEqualTo(400);
        assertThat(raw.post("/_emulator/faults", "{\"action\":\"StopGame\"}").statusCode()).isEqualTo(400);
        assertThat(raw.post("/_emulator/faults", "not json").statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> emulator.failNext("StopGame", "InternalError", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(emulator.state().faults()).isEmpty();
    }

    @Test
    void resetFreesWorkersAndForgetsFaultsAndJournal() throws Exception {
        gs.TrylockWorker(trylock("alice", "game-a"));
        emulator.failNext("StopGame", "InternalError", 3);

        HttpResponse<String> response = raw.post("/_emulator/reset", "");

        assertThat(response.statusCode()).isEqualTo(200);
        EmulatorState state = emulator.state();
        assertThat(state.pools()).isEmpty();
        assertThat(state.locks()).isEmpty();
        assertThat(state.faults()).isEmpty();
        assertThat(state.journal()).isEmpty();
    }

    @Test
    void unknownAdminPathsAnswerNotFound() throws Exception {
        assertThat(raw.get("/_emulator/nothing").statusCode()).isEqualTo(404);
        assertThat(raw.get("/_emulator/reset").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"UserId\": \"alice\",", "{\"UserId\":\"alice\"} trailing", "[]", ""})
    void aBodyThatIsNotAJsonObjectAnswersJsonParseError(String body) throws Exception {
        HttpResponse<String> response = raw.signedPost("TrylockWorker", body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = raw.json(response).get("Response");
        assertThat(answer.at("/Error/Code").asText()).isEqualTo("InvalidParameter.JsonParseError");
        assertThat(answer.get("RequestId").asText()).isNotBlank();
    }

    @Test
    void otherSignedHeadersAndServiceNamesAreVerifiedToo() throws Exception {
        HttpResponse<String> response = raw.signedPost("TrylockWorker", "{\"UserId\":\"alice\",\"GameId\":\"game-a\"}");

        assertThat(raw.json(response).at("/Response/Error").isMissingNode()).as(response.body()).isTrue();
        assertThat(emulator.state().locks()).singleElement().satisfies(lock -> {
            assertThat(lock.gameRegion()).isEqualTo(GsEmulatorConfig.DEFAULT_REGION);
            assertThat(lock.requestedRegion()).isEmpty();
        });
    }

    @Test
    void aGetOnTheApiAnswersAnErrorWithStatus200() throws Exception {
        HttpResponse<String> response = raw.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(raw.json(response).at("/Response/Error/Code").asText()).isEqualTo("UnsupportedProtocol");
    }
}
