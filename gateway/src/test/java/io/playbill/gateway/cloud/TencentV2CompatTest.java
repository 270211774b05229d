package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import static io.playbill.gateway.support.GoldenJson.assertMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The current official demos' four paths with their request and answer shapes (golden files under
 * {@code src/test/resources/golden/v2}), JSON read whatever its content type says, for the authenticated user only.
 * Real Tencent SDK against the emulator.
 */
class TencentV2CompatTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void startGameAsTheJsSamplesSendItWithoutAContentTypeOrAsTextPlain() {
        HttpResult untyped = raw("/StartGame", alice, null,
                "{\"GameId\":\"g1\",\"UserId\":\"mallory\",\"ClientSession\":\"eyJ4IjoxfQ==\",\"RequestId\":\"req-1\"}");

        assertThat(untyped.status()).as(untyped.toString()).isEqualTo(200);
        assertMatches(untyped, "v2/start-ok.json");
        assertThat(playing()).containsExactly("alice");
        assertThat(TestGs.calls("TrylockWorker", "mallory")).as("UserId in the body is ignored").isEmpty();

        HttpResult plain = raw("/StartGame", alice, "text/plain;charset=UTF-8",
                "{\"GameId\":\"g1\",\"ClientSession\":\"eyJ4IjoxfQ==\"}");
        assertMatches(plain, "v2/start-ok-without-request-id.json");
    }

    @Test
    void theDemoServersFormFieldsWorkToo() throws Exception {
        String clientSession = new String(getClass().getResourceAsStream("/cloud/clientsession-sample.txt")
                .readAllBytes(), StandardCharsets.US_ASCII).strip();
        HttpResult form = raw("/StartGame", alice, "application/x-www-form-urlencoded",
                "GameId=g1&RequestId=req-1&ClientSession="
                        + URLEncoder.encode(clientSession, StandardCharsets.UTF_8));

        assertMatches(form, "v2/start-ok.json");
        raw("/StopGame", alice, null, "{}");
        HttpResult curlStyle = raw("/StartGame", alice, "application/x-www-form-urlencoded",
                "{\"GameId\":\"g1\",\"ClientSession\":\"cs\",\"RequestId\":\"req-1\"}");
        assertMatches(curlStyle, "v2/start-ok.json");
    }

    /**
     * JSON posted with a form's content type ({@code curl -d}, jQuery's {@code $.post}) reaches GS as it was sent,
     * although a ClientSession's Base64 holds '+', '/' and '=', which a form's parser cuts at or turns into spaces;
     * and a form's numeric fields are taken as numbers.
     */
    @Test
    void jsonSentAsAFormReachesGsWholeAndAFormsNumbersAreNumbers() {
        String clientSession = "eyJzZHAiOiJ2PTAifQ+/a+b/c==";
        HttpResult curlStyle = raw("/StartGame", alice, "application/x-www-form-urlencoded",
                "{\"GameId\":\"g1\",\"ClientSession\":\"" + clientSession + "\",\"RequestId\":\"req-11\"}");

        assertThat(curlStyle.json().get("Code").asInt()).as(curlStyle.body()).isZero();
        assertThat(curlStyle.json().get("RequestId").asText()).isEqualTo("req-11");
        String serverSession = new String(Base64.getDecoder().decode(
                curlStyle.json().get("SessionDescribe").get("ServerSession").asText()), StandardCharsets.UTF_8);
        assertThat(serverSession).as("the emulator's ServerSession ends with the ClientSession it was given")
                .endsWith("|" + clientSession);
        raw("/StopGame", alice, null, "{}");

        HttpResult form = raw("/StartGame", alice, "application/x-www-form-urlencoded",
                "GameId=g1&RequestId=req-12&Fps=60&MaxBitrate=10&MinBitrate=5&ClientSession="
                        + URLEncoder.encode(clientSession, StandardCharsets.UTF_8));

        assertThat(form.json().get("Code").asInt()).as(form.body()).isZero();
        assertThat(new String(Base64.getDecoder().decode(form.json().get("SessionDescribe").get("ServerSession")
                .asText()), StandardCharsets.UTF_8)).endsWith("|" + clientSession);
        raw("/StopGame", alice, null, "{}");
    }

    @Test
    void startGameFailuresCarryTheDemosCodes() {
        HttpResult missing = raw("/StartGame", alice, null, "{\"ClientSession\":\"cs\",\"RequestId\":\"req-4\"}");
        TestGs.emulator().failNext("TrylockWorker", "ResourceNotFound.NoIdle", 1);
        HttpResult noLock = http.post("/StartGame", alice,
                "{\"GameId\":\"g1\",\"ClientSession\":\"cs\",\"RequestId\":\"req-7\"}");
        TestGs.emulator().failNext("CreateSession", "LimitExceeded.Role", 1);
        HttpResult noSession = http.post("/StartGame", alice,
                "{\"GameId\":\"g1\",\"ClientSession\":\"cs\",\"RequestId\":\"req-8\"}");

        assertMatches(missing, "v2/start-missing-parameter.json");
        assertMatches(noLock, "v2/start-lock-failed.json");
        assertMatches(noSession, "v2/start-create-failed.json");
        assertThat(playing()).isEmpty();
        assertThat(locked()).as("a failed CreateSession releases the worker").isEmpty();
    }

    @Test
    void aPlayerWhoCannotPayGetsNoGame() {
        ledger.answer(request -> LedgerReply.refused(request.requestId(), LedgerError.INSUFFICIENT_BALANCE,
                "The balance cannot pay for 60 s"));

        HttpResult refused = raw("/StartGame", alice, null,
                "{\"GameId\":\"g1\",\"ClientSession\":\"cs\",\"RequestId\":\"req-2\"}");

        assertMatches(refused, "v2/start-not-paid.json");
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void aLedgerOutageIsA503ToRetryNotALockFailure() {
        ledger.stayQuiet();

        HttpResult start = raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        HttpResult enqueue = raw("/Enqueue", alice, null, "{\"GameId\":\"g1\"}");

        assertThat(start.status()).as(start.toString()).isEqualTo(503);
        assertThat(start.errorCode()).isEqualTo("ledger_unavailable");
        assertThat(start.header("Retry-After")).as("clients retry later").isNotBlank();
        assertThat(enqueue.status()).as(enqueue.toString()).isEqualTo(503);
        assertThat(enqueue.errorCode()).isEqualTo("ledger_unavailable");
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void stopGameStopsTheCallersGame() {
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        HttpResult stopped = raw("/StopGame", alice, null, "{\"UserId\":\"mallory\",\"RequestId\":\"req-9\"}");

        assertMatches(stopped, "v2/stop-ok.json");
        assertThat(playing()).isEmpty();
        assertThat(TestGs.calls("StopGame", "mallory")).isEmpty();
        TestGs.emulator().failNext("StopGame", "FailedOperation", 1);
        assertMatches(raw("/StopGame", alice, null, "{\"RequestId\":\"req-10\"}"), "v2/stop-failed.json");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsField() {
        HttpResult enqueue = raw("/Enqueue", alice, null, "{\"GameId\":{\"id\":\"g1\"},\"RequestId\":\"req-30\"}");
        HttpResult start = raw("/StartGame", alice, "application/x-www-form-urlencoded",
                "GameId=g1&ClientSession=cs&MaxBitrate=abc");

        assertThat(enqueue.json().get("Code").asInt()).as(enqueue.toString()).isEqualTo(10001);
        assertThat(enqueue.json().path("Error").path("code").asText()).isEqualTo("invalid_game_id");
        assertThat(enqueue.json().get("RequestId").asText()).isEqualTo("req-30");
        assertThat(start.json().get("Code").asInt()).as(start.toString()).isEqualTo(10001);
        assertThat(start.json().path("Error").path("code").asText()).isEqualTo("invalid_max_bitrate");
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void aBrokenBodyOfStopGameOrDequeueChangesNothing() {
        String bob = UserTokens.of("bob");
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        raw("/Enqueue", bob, null, "{\"GameId\":\"g1\"}");

        HttpResult stop = raw("/StopGame", alice, null, "{\"RequestId\":");
        HttpResult dequeue = raw("/Dequeue", bob, null, "[1,2");
        // A form whose escapes cannot be decoded (a request cut short in an escape) is as broken as cut-short JSON.
        HttpResult formStop = raw("/StopGame", alice, "application/x-www-form-urlencoded", "RequestId=req%");
        HttpResult formDequeue = raw("/Dequeue", bob, "application/x-www-form-urlencoded", "RequestId=%ZZ");

        assertThat(stop.json().get("Code").asInt()).as(stop.toString()).isEqualTo(10001);
        assertThat(stop.json().path("Error").path("code").asText()).isEqualTo("malformed_json");
        assertThat(dequeue.json().get("Code").asInt()).as(dequeue.toString()).isEqualTo(10001);
        assertThat(formStop.json().get("Code").asInt()).as(formStop.toString()).isEqualTo(10001);
        assertThat(formDequeue.json().get("Code").asInt()).as(formDequeue.toString()).isEqualTo(10001);
        assertThat(playing()).as("the game runs on").containsExactly("alice");
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_queue", String.class)).containsExactly("bob");
        assertThat(raw("/StopGame", alice, null, "").json().get("Code").asInt()).as("no body is fine").isZero();
        assertThat(playing()).isEmpty();
    }

    /** A client that hangs up halfway through its form (a dropped connection) gets a 400, not a 500. */
    @Test
    void aFormCutShortByTheClientIsABadRequestAndStopsNothing() throws Exception {
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            String head = "POST /StopGame HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Authorization: Bearer " + alice + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100\r\n\r\nRequestId=req-1";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).as(answer).startsWith("HTTP/1.1 400").contains("\"bad_request\"");
        }
        assertThat(playing()).as("the game runs on").containsExactly("alice");
    }

    @Test
    void aRunningPlayersEnqueueIsRefusedAndLeavesTheGameRunning() {
        assertThat(raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}").status())
                .isEqualTo(200);

        HttpResult queued = raw("/Enqueue", alice, null, "{\"GameId\":\"g1\",\"RequestId\":\"req-20\"}");
        raw("/Dequeue", alice, null, "{\"RequestId\":\"req-21\"}");

        assertThat(queued.json().get("Code").asInt()).as(queued.toString()).isEqualTo(10202);
        assertThat(queued.json().path("Error").path("code").asText()).isEqualTo("cloud_game_running");
        assertThat(playing()).as("before: the place took the user's own worker, and leaving it stopped the game"
                + " while its session was billed on").containsExactly("alice");
        assertThat(TestGs.calls("StopGame", "alice")).isEmpty();
    }

    /**
     * An {@code /Enqueue} (a second tab, a client still polling) while the player's start asks GS for the game: the
     * place it took marked the slot reserved over the start under way, letting a later start in beside it, and
     * leaving or missing the place released the worker the start had been given.
     */
    @Test
    void anEnqueueDuringAStartUnderWayIsRefusedAndLeavesThatStartItsGame() {
        AtomicReference<HttpResult> queued = new AtomicReference<>();
        TestGs.emulator().afterNext("TrylockWorker", "alice",
                () -> queued.set(raw("/Enqueue", alice, null, "{\"GameId\":\"g1\",\"RequestId\":\"req-40\"}")));

        HttpResult started = raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");

        assertThat(queued.get()).as("the enqueue ran").isNotNull();
        assertThat(queued.get().json().get("Code").asInt()).as(queued.get().toString()).isEqualTo(10202);
        assertThat(queued.get().json().path("Error").path("code").asText()).isEqualTo("start_in_progress");
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_queue", String.class)).isEmpty();
        assertThat(started.json().get("Code").asInt()).as(started.toString()).isZero();
        assertThat(playing()).containsExactly("alice");
        assertThat(TestGs.calls("StopGame", "alice")).isEmpty();
    }

    @Test
    void enqueueWaitsThenSaysDoneAndStartGameTakesTheLockedWorker() {
        String bob = UserTokens.of("bob");
        assertThat(raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}").status())
                .isEqualTo(200);

        HttpResult waiting = raw("/Enqueue", bob, null, "{\"GameId\":\"g1\",\"UserId\":\"bob\",\"RequestId\":\"req-13\"}");
        assertMatches(waiting, "v2/enqueue-queuing.json");

        raw("/StopGame", alice, null, "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> raw("/Enqueue", bob, null,
                "{\"GameId\":\"g1\",\"RequestId\":\"req-14\"}").json().get("Code").asInt() == 10101);
        assertMatches(raw("/Enqueue", bob, null, "{\"GameId\":\"g1\",\"RequestId\":\"req-14\"}"),
                "v2/enqueue-done.json");

        HttpResult started = raw("/StartGame", bob, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs-bob\"}");
        assertThat(started.json().get("Code").asInt()).isZero();
        assertThat(playing()).containsExactly("bob");
    }

    /** One place at a time: waiting for one game, an /Enqueue for another is refused, not answered the first's. */
    @Test
    void anEnqueueForAnotherGameWhileQueuedIsRefusedAndKeepsThePlace() {
        String bob = UserTokens.of("bob");
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        assertThat(raw("/Enqueue", bob, null, "{\"GameId\":\"g1\"}").json().get("Code").asInt()).isEqualTo(10100);

        HttpResult other = raw("/Enqueue", bob, null, "{\"GameId\":\"g2\",\"RequestId\":\"req-21\"}");

        assertThat(other.json().get("Code").asInt()).as(other.body()).isEqualTo(10202);
        assertThat(other.json().get("Error").get("code").asText()).isEqualTo("already_queued");
        assertThat(other.json().get("RequestId").asText()).isEqualTo("req-21");
        assertThat(jdbc.queryForList("SELECT game_id FROM cloud_queue WHERE user_id = 'bob'", String.class))
                .containsExactly("g1");
    }

    /**
     * The same for a start: waiting for one game, a /StartGame of another started it on the same session and left
     * the place holding the head of the first game's queue.
     */
    @Test
    void aStartOfAnotherGameWhileQueuedIsRefusedAndKeepsThePlace() {
        String bob = UserTokens.of("bob");
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        assertThat(raw("/Enqueue", bob, null, "{\"GameId\":\"g1\"}").json().get("Code").asInt()).isEqualTo(10100);

        HttpResult other = raw("/StartGame", bob, null,
                "{\"GameId\":\"g2\",\"ClientSession\":\"cs-bob\",\"RequestId\":\"req-22\"}");

        assertThat(other.json().get("Code").asInt()).as(other.body()).isEqualTo(10202);
        assertThat(other.json().get("Error").get("code").asText()).isEqualTo("already_queued");
        assertThat(playing()).containsExactly("alice");
        assertThat(jdbc.queryForList("SELECT game_id FROM cloud_queue WHERE user_id = 'bob'", String.class))
                .containsExactly("g1");
    }

    @Test
    void dequeueLeavesTheQueueAndIsOkForAnyone() {
        String bob = UserTokens.of("bob");
        raw("/StartGame", alice, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}");
        raw("/Enqueue", bob, null, "{\"GameId\":\"g1\"}");

        assertMatches(raw("/Dequeue", bob, null, "{\"UserId\":\"bob\",\"RequestId\":\"req-19\"}"),
                "v2/dequeue-ok.json");
        assertMatches(raw("/Dequeue", bob, null, "{\"RequestId\":\"req-19\"}"), "v2/dequeue-ok.json");
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_queue")).isEmpty();
    }

    @Test
    void theV2PathsNeedAUserToken() {
        assertThat(raw("/StartGame", null, null, "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}").status())
                .isEqualTo(401);
        assertThat(raw("/Enqueue", null, "text/plain", "{\"GameId\":\"g1\"}").status()).isEqualTo(401);
        assertThat(playing()).isEmpty();
    }

    private HttpResult raw(String path, String token, String contentType, String body) {
        HttpRequest.Builder request = http.request(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request);
    }
}
