package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Start and stop through the gateway's endpoints, the real Tencent SDK and the GS emulator. */
class CloudStartStopTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void startLocksAWorkerThenCreatesTheSessionAndAnswersTheServerSession() {
        HttpResult started = start(alice, "g1", "client-session-1");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().size()).isEqualTo(1);
        String serverSession = new String(Base64.getDecoder().decode(started.json().get("serverSession").asText()),
                StandardCharsets.UTF_8);
        assertThat(serverSession).isEqualTo("gs-emulator|g1:ap-guangzhou:1|client-session-1");
        assertThat(playing()).containsExactly("alice");
        assertThat(TestGs.emulator().journal())
                .extracting(JournalEntry::action, JournalEntry::userId, JournalEntry::code)
                .containsExactly(
                        tuple("TrylockWorker", "alice", "OK"),
                        tuple("CreateSession", "alice", "OK"));
    }

    @Test
    void optionalParametersReachGsAndTheRegionIsAPreference() {
        // g1 has its only worker in ap-guangzhou: GS serves the player there. Bitrates are Mbps, as GS checks them;
        // the deprecated bitrate (kbit/s here) is ignored like any unknown field, and so is a userId.
        HttpResult started = http.post("/api/cloud/start", alice, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"gameRegion\":\"ap-shanghai\",\"groupId\":\"grp-1\",\"resolution\":\"1280x720\","
                + "\"gameParas\":\"-level 3\",\"imageUrl\":\"https://cdn.example/bg.png\",\"fps\":144,"
                + "\"maxBitrate\":100,\"minBitrate\":100,\"bitrate\":8000,\"userId\":\"mallory\"}");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(gsState().sessions()).singleElement().satisfies(session -> {
            assertThat(session.userId()).isEqualTo("alice");
            assertThat(session.requestedRegion()).isEqualTo("ap-shanghai");
            assertThat(session.gameRegion()).isEqualTo("ap-guangzhou");
        });
    }

    @Test
    void aStartWithoutRegionLetsGsChoose() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        assertThat(gsState().sessions()).singleElement()
                .satisfies(session -> assertThat(session.requestedRegion()).isNullOrEmpty());
    }

    @Test
    void stopFreesTheWorker() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        HttpResult stopped = http.post("/api/cloud/stop", alice);

        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().get("stopped").asBoolean()).isTrue();
        assertThat(playing()).isEmpty();
        assertThat(gsState().pools()).filteredOn(pool -> pool.gameId().equals("g1")).singleElement()
                .satisfies(pool -> assertThat(pool.idle()).isEqualTo(1));
        assertThat(TestGs.codes("StopGame", "alice")).containsExactly("OK");
    }

    @Test
    void aFailedCreateSessionLeavesNoLockedWorker() {
        TestGs.emulator().failNext("CreateSession", "OperationDenied", 1);

        HttpResult refused = start(alice, "g1", "cs");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("cloud_operation_denied");
        assertThat(locked()).isEmpty();
        assertThat(playing()).isEmpty();
        assertThat(TestGs.codes("StopGame", "alice")).containsExactly("OK");
        assertThat(start(UserTokens.of("bob"), "g1", "cs").status()).as("the worker is free again").isEqualTo(200);
    }

    @Test
    void transientErrorsAreRetriedAndTheStartSucceeds() {
        TestGs.emulator().failNext("TrylockWorker", "FailedOperation.ProcessTimeout", 1);
        TestGs.emulator().failNext("TrylockWorker", "InternalError", 1);
        TestGs.emulator().failNext("CreateSession", "FailedOperation.TooFrequently", 2);

        HttpResult started = start(alice, "g1", "cs");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(TestGs.codes("TrylockWorker", "alice"))
                .containsExactly("FailedOperation.ProcessTimeout", "InternalError", "OK");
        assertThat(TestGs.codes("CreateSession", "alice"))
                .containsExactly("FailedOperation.TooFrequently", "FailedOperation.TooFrequently", "OK");
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void transientErrorsStopBeingRetriedAfterTheLastAttempt() {
        TestGs.emulator().failNext("TrylockWorker", "FailedOperation.ProcessTimeout", 5);

        HttpResult unavailable = start(alice, "g1", "cs");

        assertThat(unavailable.status()).as(unavailable.toString()).isEqualTo(503);
        assertThat(unavailable.errorCode()).isEqualTo("cloud_unavailable");
        assertThat(unavailable.header("Retry-After")).isEqualTo("5");
        assertThat(TestGs.codes("TrylockWorker", "alice")).hasSize(3);
    }

    /** playbill.cloud.retry.max-attempts and not-ready-attempts (defaults). */
    private static final int TRANSIENT_CALLS = 3;
    private static final int NOT_READY_CALLS = 4;

    @ParameterizedTest(name = "{0} {1} -> {2} {3}, calls: {4}")
    @CsvFileSource(resources = "/cloud/gs-error-codes.csv", numLinesToSkip = 1)
    void everyGsErrorCodeHasItsAnswer(String action, String gsCode, int status, String code, String attempts) {
        int calls = switch (attempts) {
            case "once" -> 1;
            case "transient" -> TRANSIENT_CALLS;
            case "not-ready" -> NOT_READY_CALLS;
            default -> throw new IllegalArgumentException("calls is once, transient or not-ready: " + attempts);
        };
        if (action.equals("StopGame")) {
            assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        }
        // As many as the most attempts, so that retried codes fail every attempt.
        TestGs.emulator().failNext(action, gsCode, NOT_READY_CALLS);

        HttpResult answer = action.equals("StopGame") ? http.post("/api/cloud/stop", alice) : start(alice, "g1", "cs");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.errorCode()).isEqualTo(code);
        assertThat(answer.json().at("/error/message").asText()).contains(action + ": " + gsCode);
        assertThat(answer.header("Retry-After")).isEqualTo(status == 503 || code.equals("cloud_stopping") ? "5" : null);
        assertThat(TestGs.calls(action, "alice").stream().filter(call -> call.code().equals(gsCode)))
                .as("transient and \"not yet\" codes are retried, the others not").hasSize(calls);
        if (action.equals("CreateSession")) {
            assertThat(locked()).as("the worker locked before CreateSession is released").isEmpty();
            assertThat(playing()).isEmpty();
        }
    }

    @Test
    void noIdleWorkerQueuesInsteadOfFailing() {
        TestGs.emulator().failNext("TrylockWorker", "ResourceNotFound.NoIdle", 1);

        HttpResult queued = start(alice, "g1", "cs");

        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.json().get("status").asText()).isEqualTo("waiting");
        assertThat(queued.json().get("position").asInt()).isEqualTo(1);
        assertThat(TestGs.codes("TrylockWorker", "alice")).startsWith("ResourceNotFound.NoIdle");
    }

    @Test
    void aLockLostAtCreateSessionQueuesThePlayerInsteadOfFailing() {
        TestGs.emulator().failNext("CreateSession", "ResourceNotFound.NoIdle", 1);

        HttpResult queued = start(alice, "g1", "cs");

        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.json().get("position").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                http.get("/api/cloud/queue", alice).json().get("status").asText().equals("ready"));
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void aStartWaitsOutAPreviousGameStillStopping() {
        TestGs.emulator().failNext("TrylockWorker", "UnsupportedOperation.Stopping", NOT_READY_CALLS - 1);

        HttpResult started = start(alice, "g1", "cs");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(TestGs.codes("TrylockWorker", "alice")).endsWith("OK").hasSize(NOT_READY_CALLS);
    }

    @Test
    void aClockSkewedByTenMinutesFailsTheSignature() {
        TestGs.clock().advance(Duration.ofMinutes(10));

        HttpResult refused = start(alice, "g1", "cs");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(502);
        assertThat(refused.errorCode()).isEqualTo("cloud_auth_failed");
        assertThat(TestGs.codes("TrylockWorker", "alice")).containsExactly("AuthFailure.SignatureExpire");
        assertThat(locked()).isEmpty();
    }

    @Test
    void badInputNeverReachesGs() {
        assertThat(http.post("/api/cloud/start", alice, "{\"gameId\":\"g1\"}").errorCode())
                .isEqualTo("invalid_client_session");
        assertThat(http.post("/api/cloud/start", alice, "{\"clientSession\":\"cs\",\"gameId\":\"g 1\"}").errorCode())
                .isEqualTo("invalid_game_id");
        assertThat(http.post("/api/cloud/start", alice, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"gameRegion\":\"Shanghai!\"}").errorCode()).isEqualTo("invalid_game_region");
        assertThat(http.post("/api/cloud/start", alice, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"fps\":\"60\"}").errorCode()).isEqualTo("invalid_fps");
        HttpResult sessionAndQueue = http.post("/api/cloud/start", alice, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"session\":\"sdkSession1\",\"queue\":\"premium\"}");
        assertThat(sessionAndQueue.status()).as("a session pays at the queue it was authorized on, not one named here")
                .isEqualTo(400);
        assertThat(sessionAndQueue.errorCode()).isEqualTo("invalid_queue");
        assertThat(http.post("/api/cloud/start", null, "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}").status())
                .isEqualTo(401);
        assertThat(TestGs.emulator().journal()).isEmpty();
    }

    @Test
    void theOpenApiDocumentListsTheCloudEndpoints() {
        HttpResult docs = http.get("/v3/api-docs", null);

        assertThat(docs.json().at("/paths/~1api~1cloud~1start/post").isMissingNode()).isFalse();
        assertThat(docs.json().at("/paths/~1api~1cloud~1stop/post").isMissingNode()).isFalse();
        assertThat(docs.json().at("/paths/~1api~1cloud~1queue/get").isMissingNode()).isFalse();
        assertThat(docs.json().at("/paths/~1api~1cloud~1queue/delete").isMissingNode()).isFalse();
    }
}
