package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.Test;

import static io.playbill.gateway.support.GoldenJson.assertMatches;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official v1 demo's StartCloudGame / StopCloudGame shapes (golden files under {@code src/test/resources/golden/v1}:
 * failures carry the {@code data} object old clients read), for the authenticated user only, always paid.
 */
class DemoCompatTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void startCloudGameAnswersCodeZeroWithCreateSessionsAnswerForTheAuthenticatedUser() {
        HttpResult started = http.post("/StartCloudGame", alice,
                "{\"UserId\":\"mallory\",\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("code").asInt()).isZero();
        assertThat(started.json().at("/data/ServerSession").asText()).isNotBlank();
        assertThat(started.json().at("/data/Role").asText()).isEqualTo("Player");
        assertThat(started.json().at("/data/RequestId").asText()).isNotBlank();
        assertMatches(started, "v1/start-ok.json");
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void aPlayerWhoCannotPayGetsCodeMinusOneAndNoGame() {
        ledger.answer(request -> LedgerReply.refused(request.requestId(), LedgerError.INSUFFICIENT_BALANCE,
                "The balance cannot pay for 60 s"));

        HttpResult refused = http.post("/StartCloudGame", alice, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        assertMatches(refused, "v1/start-not-paid.json");
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void aLedgerOutageIsA503ToRetryNotALockFailure() {
        ledger.stayQuiet();

        HttpResult start = http.post("/StartCloudGame", alice, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        assertThat(start.status()).as(start.toString()).isEqualTo(503);
        assertThat(start.errorCode()).isEqualTo("ledger_unavailable");
        assertThat(start.header("Retry-After")).as("clients retry later").isNotBlank();
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void aFailedLockIsCodeMinusOneAndAFailedCreateSessionCodeMinusTwoWithTheWorkerReleased() {
        TestGs.emulator().failNext("TrylockWorker", "ResourceNotFound.NoIdle", 1);
        HttpResult noLock = http.post("/StartCloudGame", alice, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        TestGs.emulator().failNext("CreateSession", "LimitExceeded.Role", 1);
        HttpResult noSession = http.post("/StartCloudGame", alice, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        assertThat(noLock.status()).isEqualTo(200);
        assertMatches(noLock, "v1/start-lock-failed.json");
        assertMatches(noSession, "v1/start-create-failed.json");
        assertThat(noLock.json().get("code").asInt()).isEqualTo(-1);
        assertThat(noLock.json().get("msg").asText()).contains("ResourceNotFound.NoIdle");
        assertThat(noSession.json().get("code").asInt()).isEqualTo(-2);
        assertThat(noSession.json().get("msg").asText()).contains("LimitExceeded.Role");
        assertThat(locked()).isEmpty();
        assertThat(playing()).isEmpty();
    }

    @Test
    void stopCloudGameStopsTheAuthenticatedUsersGame() {
        http.post("/StartCloudGame", alice, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        HttpResult stopped = http.post("/StopCloudGame", alice, "{\"UserId\":\"mallory\"}");

        assertMatches(stopped, "v1/stop-ok.json");
        assertThat(playing()).isEmpty();
        assertThat(TestGs.calls("StopGame", "mallory")).isEmpty();
    }

    @Test
    void theDemoPathsNeedAUserToken() {
        assertThat(http.post("/StartCloudGame", null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}").status())
                .isEqualTo(401);
        assertThat(http.post("/StopCloudGame", null, "{}").status()).isEqualTo(401);
        assertThat(TestGs.emulator().journal()).isEmpty();
    }
}
