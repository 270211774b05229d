package io.playbill.gateway.cloud;

import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.cloud.stop.SessionEndStopper;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.LedgerResponder;
import io.playbill.gateway.support.LedgerResponder.Received;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No cloud game without a paid ledger session: a start names the SDK session that pays (or the gateway opens and
 * renews one itself), the ledger admits it, the game is bound to it, and a second session cannot take the user's
 * game. Real Tencent SDK against the emulator; the ledger is a stand-in on the real broker that records what it is
 * asked.
 */
class PaidCloudGamesTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private SessionEndStopper stopper;

    @Autowired
    private CloudPlay play;

    @Test
    void aStartNamingTheSdkSessionIsAdmittedByTheLedgerAndTheGameIsBoundToIt() throws Exception {
        double startedBefore = starts("started");

        HttpResult started = startWithSession(alice, "sdkSession1");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        Received admission = ledger.nextRequest();
        assertThat(admission.request().operation()).isEqualTo(new LedgerOperation.AdmitCloudGame("sdkSession1"));
        assertThat(admission.request().actor()).isEqualTo(Actor.player("alice"));
        assertThat(binding("alice")).containsEntry("session", "sdkSession1").containsEntry("billing", "client")
                .containsEntry("state", "running");
        assertThat(playing()).containsExactly("alice");
        Received start = ledger.nextRequest();
        assertThat(start.request().operation()).as("the game runs: its session is started, so that it times out"
                + " unless the client renews it").isEqualTo(new LedgerOperation.StartSession("sdkSession1", null));
        assertThat(start.request().receivedAtMillis()).isGreaterThanOrEqualTo(admission.request().receivedAtMillis());
        assertThat(ledger.drain()).as("the client renews its own session").isEmpty();
        assertThat(starts("started")).isEqualTo(startedBefore + 1);
    }

    @Test
    void anSdkSessionTheLedgerWillNotStartGetsItsGameStopped() {
        ledger.answer(request -> request.operation() instanceof LedgerOperation.StartSession
                ? LedgerReply.refused(request.requestId(), LedgerError.SESSION_NOT_FOUND, "Session has expired")
                : LedgerResponder.generous(request));

        HttpResult started = startWithSession(alice, "sdkSession9");

        assertThat(started.status()).as(started.toString()).isEqualTo(403);
        assertThat(started.errorCode()).isEqualTo("session_not_found");
        assertThat(playing()).as("GS was asked to stop the game before the answer").doesNotContain("alice");
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_session")).as("the slot is free").isEmpty();
    }

    @Test
    void aLedgerOutageStartingTheSdkSessionLeavesTheGameToTheClientsRetryWhichStartsIt() throws Exception {
        ledger.answerSome(request -> request.operation() instanceof LedgerOperation.StartSession
                ? Optional.empty() : Optional.of(LedgerResponder.generous(request)));

        HttpResult unanswered = startWithSession(alice, "sdkSession7");

        assertThat(unanswered.status()).as(unanswered.toString()).isEqualTo(503);
        assertThat(playing()).as("an outage stops nothing").containsExactly("alice");
        assertThat(binding("alice")).containsEntry("session", "sdkSession7").containsEntry("state", "running");
        HttpResult retriedDuringTheOutage = startWithSession(alice, "sdkSession7");
        assertThat(retriedDuringTheOutage.status()).as("a reconnect whose session did not start is not answered 200: "
                + retriedDuringTheOutage).isEqualTo(503);
        assertThat(playing()).containsExactly("alice");
        ledger.answer(LedgerResponder::generous);
        ledger.drain();

        HttpResult retried = startWithSession(alice, "sdkSession7");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .contains(new LedgerOperation.StartSession("sdkSession7", null));
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void aBrokePlayerGetsNoGameAndGsIsNotAsked() {
        ledger.answer(refusing(LedgerError.INSUFFICIENT_BALANCE));
        double refusedBefore = starts("refused");
        double startedBefore = starts("started");

        HttpResult withSession = startWithSession(alice, "sdkSession1");
        HttpResult withoutSession = start(alice, "g1", "cs");

        assertThat(withSession.status()).isEqualTo(402);
        assertThat(withSession.errorCode()).isEqualTo("insufficient_balance");
        assertThat(withoutSession.status()).isEqualTo(402);
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
        assertThat(playing()).isEmpty();
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_session")).isEmpty();
        assertThat(starts("refused")).isEqualTo(refusedBefore + 2);
        assertThat(starts("started")).isEqualTo(startedBefore);
    }

    @Test
    void aSessionThatIsNotTheCallersGetsNoGame() {
        ledger.answer(refusing(LedgerError.SESSION_NOT_FOUND));

        HttpResult result = startWithSession(UserTokens.of("mallory"), "alicesSession");

        assertThat(result.status()).isEqualTo(403);
        assertThat(result.errorCode()).isEqualTo("session_not_found");
        assertThat(playing()).isEmpty();
    }

    @Test
    void anotherSessionCannotTakeTheUsersRunningGame() {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);

        HttpResult second = startWithSession(alice, "sdkSession2");
        HttpResult reconnect = startWithSession(alice, "sdkSession1");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("cloud_game_running");
        assertThat(reconnect.status()).as("the same session reconnects to its game").isEqualTo(200);
        assertThat(binding("alice")).containsEntry("session", "sdkSession1");
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void aReconnectWhoseCreateSessionFailsLeavesTheRunningGameToTheSessionThatPaysForIt() {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);

        assertAFailedReconnectLeavesTheGameAsItWas(() -> startWithSession(alice, "sdkSession1"));
    }

    /** The same with the session the gateway opened and renews: its heartbeat must not bill a game a failure ended. */
    @Test
    void aFailedReconnectOfTheGatewaysSessionDoesNotEndTheGameItsHeartbeatBills() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        assertAFailedReconnectLeavesTheGameAsItWas(() -> start(alice, "g1", "cs"));
    }

    /**
     * The instance that started the game died between marking it running and the ledger's first answer: the session
     * was never started nor renewed, and the heartbeat renews only a game whose first renew is recorded. The
     * player's reconnect took it for a running game's and played on unpaid until the session's authorization timed
     * out. Now the reconnect starts its billing, from the reconnect on: from when the game began (here two minutes
     * ago), the session's first deadline would have passed already, and its expiry would stop the game.
     */
    @Test
    void aReconnectToAGameWhoseBillingNeverStartedStartsItsBilling() throws Exception {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        String session = (String) binding("alice").get("session");
        // Started a moment ago: left longer than the grace, the catch-up would start the billing before the reconnect.
        Instant began = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("UPDATE cloud_session SET billing_started = false, first_renew_at = NULL, deadline = NULL,"
                + " next_renew_at = NULL, started_at = ? WHERE user_id = 'alice'", Timestamp.from(began));
        ledger.drain();
        long reconnectedAt = System.currentTimeMillis();

        HttpResult reconnect = start(alice, "g1", "cs");

        assertThat(reconnect.status()).as(reconnect.toString()).isEqualTo(200);
        List<LedgerRequest> asked = ledger.drain().stream().map(Received::request).toList();
        assertThat(asked).filteredOn(request -> request.operation().equals(new LedgerOperation.StartSession(session,
                null))).singleElement().satisfies(start -> assertThat(start.receivedAtMillis())
                .as("billed from the reconnect").isGreaterThanOrEqualTo(reconnectedAt));
        assertThat(asked).extracting(LedgerRequest::operation).contains(new LedgerOperation.RenewSession(session, 0));
        assertThat(jdbc.queryForObject("SELECT first_renew_at IS NOT NULL FROM cloud_session WHERE user_id = 'alice'",
                Boolean.class)).as("the heartbeat renews it from now on").isTrue();
        assertThat(playing()).containsExactly("alice");
    }

    /**
     * The instance that started a game the gateway bills died between marking it running and the ledger's first
     * answer, and the player never reconnects: another round of any instance starts its billing, from then on.
     */
    @Test
    void aGameWhoseStartDiedBeforeItsBillingStartedIsBilledWithoutAReconnect() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        String session = (String) binding("alice").get("session");
        assertThat(billingStarted("alice")).as("a start that completes starts the billing itself").isTrue();
        Instant began = leaveUnbilled("alice");

        await().atMost(Duration.ofSeconds(15)).until(() -> billingStarted("alice"));

        List<LedgerRequest> asked = ledger.drain().stream().map(Received::request).toList();
        assertThat(asked).filteredOn(request -> request.operation().equals(new LedgerOperation.StartSession(session,
                null))).singleElement().satisfies(start -> assertThat(start.receivedAtMillis())
                .as("billed from the catch-up, not from the game's start")
                .isGreaterThanOrEqualTo(began.plusSeconds(60).toEpochMilli()));
        assertThat(asked).extracting(LedgerRequest::operation).contains(new LedgerOperation.RenewSession(session, 0));
        assertThat(jdbc.queryForObject("SELECT first_renew_at IS NOT NULL AND next_renew_at IS NOT NULL"
                + " FROM cloud_session WHERE user_id = 'alice'", Boolean.class)).as("the heartbeat renews it").isTrue();
        assertThat(playing()).containsExactly("alice");
    }

    /** The same for an SDK's session: its start is asked now, so that it times out unless its client renews it. */
    @Test
    void anSdkSessionWhoseStartDiedBeforeItStartedIsStartedWithoutAReconnect() {
        assertThat(startWithSession(alice, "sdkSession3").status()).isEqualTo(200);
        assertThat(billingStarted("alice")).isTrue();
        leaveUnbilled("alice");

        await().atMost(Duration.ofSeconds(15)).until(() -> billingStarted("alice"));

        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .contains(new LedgerOperation.StartSession("sdkSession3", null));
        assertThat(playing()).containsExactly("alice");
    }

    /** The session expired while nothing billed it: the ledger refuses to start it, and the game is stopped. */
    @Test
    void aGameLeftUnbilledWhoseSessionTheLedgerWillNotStartIsStopped() {
        assertAGameLeftUnbilledIsStoppedWhenTheLedgerRefuses(session -> { });
    }

    /**
     * The stopper met the session's end before the game was bound (no game then) and finished its stop: the refused
     * catch-up hands the game over again, instead of recording an end the stopper took for one already handled.
     */
    @Test
    void aGameLeftUnbilledWhoseSessionsEndTheStopperFinishedBeforeIsStopped() {
        assertAGameLeftUnbilledIsStoppedWhenTheLedgerRefuses(session -> jdbc.update("INSERT INTO cloud_stop (user_id,"
                + " session, reason, ledger_event_at, result, stopped_at) VALUES ('alice', ?, 'timed_out', now(),"
                + " 'no_game', now())", session));
    }

    private void assertAGameLeftUnbilledIsStoppedWhenTheLedgerRefuses(Consumer<String> before) {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        String session = (String) binding("alice").get("session");
        before.accept(session);
        ledger.answer(request -> request.operation() instanceof LedgerOperation.StartSession
                ? LedgerReply.refused(request.requestId(), LedgerError.SESSION_NOT_FOUND, "Session has expired")
                : LedgerResponder.generous(request));
        leaveUnbilled("alice");

        await().atMost(Duration.ofSeconds(20)).until(() -> !playing().contains("alice"));

        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_session")).as("the slot is free").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.drain().stream()
                .anyMatch(received -> received.request().operation().equals(new LedgerOperation.StopSession(session))));
    }

    /**
     * As a start that died after marking its game running leaves it: unbilled, started a minute ago (answered). What
     * the ledger was asked before is drained first.
     */
    private Instant leaveUnbilled(String userId) {
        ledger.drain();
        Instant began = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("UPDATE cloud_session SET billing_started = false, first_renew_at = NULL, deadline = NULL,"
                + " next_renew_at = NULL, started_at = ? WHERE user_id = ?", Timestamp.from(began), userId);
        return began;
    }

    private boolean billingStarted(String userId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT billing_started FROM cloud_session WHERE user_id = ?",
                Boolean.class, userId));
    }

    private void assertAFailedReconnectLeavesTheGameAsItWas(Supplier<HttpResult> reconnect) {
        Object session = binding("alice").get("session");
        TestGs.emulator().failNextFor("alice", "CreateSession", "FailedOperation", 1);

        HttpResult result = reconnect.get();

        assertThat(result.status()).as(result.toString()).isNotEqualTo(200);
        assertThat(TestGs.codes("CreateSession", "alice")).containsExactly("OK", "FailedOperation");
        assertThat(TestGs.calls("StopGame", "alice")).as("no StopGame: it would end the game its session pays for")
                .isEmpty();
        assertThat(playing()).containsExactly("alice");
        assertThat(binding("alice")).containsEntry("session", session).containsEntry("state", "running");
    }

    /**
     * Two devices start at once: the second, without a session of its own, finds the first one's slot still
     * {@code starting}. Given up as a leftover, the first start found its binding gone and stopped the game GS had
     * just given it (answering 409 start_cancelled), for a request the ledger refused anyway.
     */
    @Test
    void aStartFromASecondDeviceWaitsForTheStartUnderWayInsteadOfEndingIt() {
        assertASecondDevicesStartWaitsForTheFirstOne();
    }

    /**
     * A slot reserved long ago (a queue place, or a failed start) that its session starts again counts as a start
     * under way from that start on: its age is the start's, not the reservation's.
     */
    @Test
    void aLongReservedSlotStartedAgainIsAStartUnderWay() {
        jdbc.update("INSERT INTO cloud_session (user_id, session, billing, state, game_id, started_at)"
                + " VALUES ('alice', 'sdkSession1', 'client', 'reserved', 'g1', ?)",
                Timestamp.from(Instant.now().minus(play.startUnderWay()).minusSeconds(60)));

        assertASecondDevicesStartWaitsForTheFirstOne();
    }

    /** While GS locks a worker for alice's start of sdkSession1, a second device starts without a session. */
    private void assertASecondDevicesStartWaitsForTheFirstOne() {
        AtomicReference<HttpResult> secondDevice = new AtomicReference<>();
        TestGs.emulator().afterNext("TrylockWorker", "alice", () -> secondDevice.set(start(alice, "g1", "cs2")));

        HttpResult first = startWithSession(alice, "sdkSession1");

        assertThat(secondDevice.get()).as("the second device's start ran").isNotNull();
        assertThat(secondDevice.get().status()).as(secondDevice.get().toString()).isEqualTo(409);
        assertThat(secondDevice.get().errorCode()).isEqualTo("start_in_progress");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(TestGs.calls("StopGame", "alice")).isEmpty();
        assertThat(playing()).containsExactly("alice");
        assertThat(binding("alice")).containsEntry("session", "sdkSession1").containsEntry("state", "running");
    }

    /**
     * A double click, or a client retrying while GS is slow: two starts of one session. Both asked GS for the game,
     * and one whose CreateSession failed released the worker (StopGame names only the user), ending the game the
     * other marked running and billed on.
     */
    @Test
    void aSecondStartOfTheSameSessionWaitsForTheStartUnderWay() {
        AtomicReference<HttpResult> again = new AtomicReference<>();
        TestGs.emulator().afterNext("TrylockWorker", "alice", () -> again.set(startWithSession(alice, "sdkSession1")));

        HttpResult first = startWithSession(alice, "sdkSession1");

        assertTheSecondStartWaitedForTheFirst(first, again.get());
        assertThat(binding("alice")).containsEntry("session", "sdkSession1").containsEntry("state", "running");
    }

    /** The same for the gateway's own session: the second start, naming none, is admitted with the first's. */
    @Test
    void aSecondStartOfTheGatewaysOwnSessionWaitsForTheStartUnderWayAndLeavesItsSessionOpen() {
        AtomicReference<HttpResult> again = new AtomicReference<>();
        TestGs.emulator().afterNext("TrylockWorker", "alice", () -> again.set(start(alice, "g1", "cs2")));

        HttpResult first = start(alice, "g1", "cs");

        assertTheSecondStartWaitedForTheFirst(first, again.get());
        assertThat(binding("alice")).containsEntry("billing", "server").containsEntry("state", "running");
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .as("the session the first start opened is not ended")
                .noneMatch(LedgerOperation.StopSession.class::isInstance);
    }

    private void assertTheSecondStartWaitedForTheFirst(HttpResult first, HttpResult second) {
        assertThat(second).as("the second start ran").isNotNull();
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("start_in_progress");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(TestGs.calls("TrylockWorker", "alice")).as("GS was asked for the game once").hasSize(1);
        assertThat(TestGs.calls("StopGame", "alice")).isEmpty();
        assertThat(playing()).containsExactly("alice");
    }

    /** A {@code starting} slot older than any start can take was left by a start that died: it is given up. */
    @Test
    void aStartingSlotLeftByAStartThatDiedIsGivenUp() {
        jdbc.update("INSERT INTO cloud_session (user_id, session, billing, state, game_id, started_at)"
                + " VALUES ('alice', 'sdkSession1', 'client', 'starting', 'g1', ?)",
                Timestamp.from(Instant.now().minus(play.startUnderWay()).minusSeconds(1)));

        HttpResult started = startWithSession(alice, "sdkSession2");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(binding("alice")).containsEntry("session", "sdkSession2").containsEntry("state", "running");
    }

    @Test
    void aStartOfAnotherGameThatGsRefusesLeavesTheRunningGamesBindingAsItWas() {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);

        HttpResult other = http.post("/api/cloud/start", alice,
                "{\"clientSession\":\"cs\",\"gameId\":\"g2\",\"session\":\"sdkSession1\"}");

        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(jdbc.queryForObject("SELECT game_id FROM cloud_session WHERE user_id = 'alice'", String.class))
                .as("a reconnect to the running game must still find it").isEqualTo("g1");
    }

    @Test
    void aCloudStopStopsTheGameAndEndsTheSessionThatPaidForIt() throws Exception {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);
        ledger.drain();

        HttpResult stopped = http.post("/api/cloud/stop", alice);

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(playing()).isEmpty();
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.StopSession("sdkSession1"));
        assertThat(jdbc.queryForList("SELECT user_id FROM cloud_session")).isEmpty();
    }

    @Test
    void aStopGsRefusesStillEndsTheSessionAndLeavesTheGameToTheStopper() throws Exception {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);
        ledger.drain();
        TestGs.emulator().failNext("StopGame", "FailedOperation", 1);

        HttpResult refused = http.post("/api/cloud/stop", alice);

        assertThat(refused.status()).as(refused.toString()).isGreaterThanOrEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("cloud_operation_failed");
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .as("before: the session went on billing until the player stopped again or the balance ran out")
                .contains(new LedgerOperation.StopSession("sdkSession1"));
        assertThat(binding("alice")).as("the session's end finds the game to stop").containsEntry("session",
                "sdkSession1");
    }

    @Test
    void aGameStartedWhileAStopRanIsStoppedByTheStopper() {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);
        ledger.drain();
        AtomicReference<HttpResult> racingStart = new AtomicReference<>();
        // Between GS stopping the game and the stop hearing of it, a start of the same session (a second tab, on
        // any gateway instance) runs whole.
        TestGs.emulator().afterNext("StopGame", "alice",
                () -> racingStart.set(startWithSession(alice, "sdkSession1")));

        HttpResult stopped = http.post("/api/cloud/stop", alice);

        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(racingStart.get()).as("the racing start ran").isNotNull();
        assertThat(racingStart.get().status()).as(racingStart.get().toString()).isEqualTo(200);
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .contains(new LedgerOperation.StopSession("sdkSession1"));
        // The stand-in ledger publishes no SessionEnded: the gateway hands the game to its stopper itself.
        await("before: nothing stopped the racing start's game (its binding released by the stop, or left to a"
                + " SessionEnded this stand-in ledger never sends)")
                .atMost(Duration.ofSeconds(10)).until(() -> playing().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> "stopped".equals(jdbc.queryForObject(
                "SELECT result FROM cloud_stop WHERE user_id = 'alice' AND session = 'sdkSession1'", String.class)));
        assertThat(jdbc.queryForList("SELECT session FROM cloud_session WHERE user_id = 'alice'")).isEmpty();
    }

    @Test
    void theStopOfAnEndedSessionNeverEndsTheGameOfTheUsersNextSession() throws Exception {
        assertThat(startWithSession(alice, "sdkSession1").status()).isEqualTo(200);
        CompletableFuture<HttpResult> nextGame = new CompletableFuture<>();
        // The stopper's first StopGame answers "not now"; in that moment the player stops and starts again with
        // another session. The stopper's retry comes once that start ran, or once it waits for the stopper.
        TestGs.emulator().failNextFor("alice", "StopGame", "InternalError", 1);
        TestGs.emulator().afterNext("StopGame", "alice", () -> {
            CompletableFuture.runAsync(() -> {
                http.post("/api/cloud/stop", alice);
                nextGame.complete(startWithSession(alice, "sdkSession2"));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> nextGame.isDone() || aStatementWaitsForALock());
        });

        stopper.sessionEnded("alice", "sdkSession1", "balance_exhausted", Instant.now());

        HttpResult next = nextGame.get(10, TimeUnit.SECONDS);
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(binding("alice")).containsEntry("session", "sdkSession2").containsEntry("state", "running");
        assertThat(playing()).as("before: the stopper's retried StopGame ended the game of the next session")
                .containsExactly("alice");
    }

    @Test
    void aSessionThatEndedWhileItsGameStartedGetsTheGameStopped() {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result) VALUES"
                + " ('alice', 'sdkSession1', 'stopped', now(), 'no_game')");

        HttpResult result = startWithSession(alice, "sdkSession1");

        assertThat(result.status()).isEqualTo(409);
        assertThat(result.errorCode()).isEqualTo("session_ended");
        assertThat(TestGs.codes("CreateSession", "alice")).containsExactly("OK");
        assertThat(playing()).as("started, then stopped at once").isEmpty();
    }

    @Test
    void aGameOfAnEndedSessionThatGsWouldNotStopAtOnceIsStoppedByTheStopper() {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result) VALUES"
                + " ('alice', 'sdkSession1', 'stopped', now(), 'no_game')");
        TestGs.emulator().failNextFor("alice", "StopGame", "FailedOperation", 1);

        HttpResult result = startWithSession(alice, "sdkSession1");

        assertThat(result.status()).isEqualTo(409);
        assertThat(result.errorCode()).isEqualTo("session_ended");
        await("before: the start released the game GS had not stopped, and nothing stopped it")
                .atMost(Duration.ofSeconds(10)).until(() -> playing().isEmpty());
        assertThat(TestGs.codes("StopGame", "alice")).containsExactly("FailedOperation", "OK");
        // The stopper releases the binding in the transaction that holds it, which commits after GS has answered.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(jdbc.queryForList("SELECT session FROM cloud_session WHERE user_id = 'alice'")).isEmpty());
    }

    /**
     * A start whose session ended meanwhile stops its game, but only while the user's slot is still that session's:
     * here the player's stop released it (stopping this game) and a new start of another session took it, all while
     * the first start waited. StopGame names only the user: it ended the new game, and the binding went with it.
     */
    @Test
    void aStartWhoseSessionEndedLeavesTheGameOfTheStartThatTookTheSlotSinceAlone() {
        jdbc.update("INSERT INTO cloud_stop (user_id, session, reason, ledger_event_at, result) VALUES"
                + " ('alice', 'sdkSession1', 'stopped', now(), 'no_game')");
        jdbc.execute("CREATE FUNCTION next_start_takes_the_slot() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN UPDATE cloud_session SET session = 'sdkSession2' WHERE user_id = NEW.user_id;"
                + " RETURN NULL; END $$");
        jdbc.execute("CREATE TRIGGER stop_and_start_meanwhile AFTER UPDATE ON cloud_session FOR EACH ROW WHEN"
                + " (NEW.user_id = 'alice' AND NEW.session = 'sdkSession1' AND NEW.state = 'running')"
                + " EXECUTE FUNCTION next_start_takes_the_slot()");
        try {
            HttpResult result = startWithSession(alice, "sdkSession1");

            assertThat(result.status()).as(result.toString()).isEqualTo(409);
            assertThat(result.errorCode()).isEqualTo("session_ended");
        } finally {
            jdbc.execute("DROP TRIGGER stop_and_start_meanwhile ON cloud_session");
            jdbc.execute("DROP FUNCTION next_start_takes_the_slot()");
        }
        assertThat(TestGs.codes("StopGame", "alice")).as("the game GS has is the next start's").isEmpty();
        assertThat(playing()).containsExactly("alice");
        assertThat(binding("alice")).containsEntry("session", "sdkSession2");
    }

    /**
     * A stop on another instance between TrylockWorker and CreateSession: it releases the binding, and GS then starts
     * the game all the same. The trigger plays that stop's release at the moment the start writes its binding.
     */
    @Test
    void aStopThatReleasedTheBindingWhileTheGameStartedGetsTheGameStopped() {
        jdbc.execute("CREATE FUNCTION release_alices_binding() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN DELETE FROM cloud_session WHERE user_id = NEW.user_id; RETURN NULL; END $$");
        jdbc.execute("CREATE TRIGGER stop_meanwhile AFTER INSERT OR UPDATE ON cloud_session FOR EACH ROW"
                + " WHEN (NEW.user_id = 'alice' AND NEW.state = 'starting') EXECUTE FUNCTION release_alices_binding()");
        try {
            HttpResult result = startWithSession(alice, "sdkSession1");

            assertThat(result.status()).as(result.toString()).isEqualTo(409);
            assertThat(result.errorCode()).isEqualTo("start_cancelled");
            assertThat(TestGs.codes("CreateSession", "alice")).containsExactly("OK");
            assertThat(playing()).as("started, then stopped at once").isEmpty();
        } finally {
            jdbc.execute("DROP TRIGGER stop_meanwhile ON cloud_session");
            jdbc.execute("DROP FUNCTION release_alices_binding()");
        }
    }

    /**
     * A start GS failed leaves the gateway's session of its queue bound, for a retry to use. A retry asking for
     * another queue used it all the same, and paid that queue's price: it now gets a session of its own queue.
     */
    @Test
    void aRetryForAnotherQueueDoesNotPlayOnTheFailedStartsSessionAndPrice() throws Exception {
        ledger.answer(request -> request.operation() instanceof LedgerOperation.AdmitCloudGame
                ? LedgerReply.accepted(request.requestId(), 1000L, null, "premium")
                : LedgerResponder.generous(request));
        TestGs.emulator().failNextFor("alice", "CreateSession", "FailedOperation", 1);
        HttpResult failed = http.post("/api/cloud/start", alice,
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\",\"queue\":\"premium\"}");
        assertThat(failed.status()).as(failed.toString()).isNotEqualTo(200);
        String premium = ((LedgerOperation.AuthorizeSession) ledger.nextRequest().request().operation()).session();
        ledger.drain();

        HttpResult retried = http.post("/api/cloud/start", alice,
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\",\"queue\":\"standard\"}");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        List<LedgerOperation> asked = ledger.drain().stream().map(received -> received.request().operation())
                .toList();
        assertThat(asked).contains(new LedgerOperation.StopSession(premium));
        assertThat(asked).filteredOn(LedgerOperation.AuthorizeSession.class::isInstance)
                .extracting(operation -> ((LedgerOperation.AuthorizeSession) operation).queue())
                .containsExactly("standard");
        assertThat(binding("alice").get("session")).isNotEqualTo(premium);
    }

    @Test
    void withoutAnSdkSessionTheGatewayOpensOneRenewsItAndEndsItWithTheGame() throws Exception {
        ledger.answer(request -> request.operation() instanceof LedgerOperation.RenewSession renew
                // A deadline 31 s ahead of t0 makes the gateway renew within a second, like the SDK at deadline - 30.
                ? LedgerReply.accepted(request.requestId(), 1000L, renew.lastDeadline() + 31, "premium")
                : LedgerResponder.generous(request));
        HttpResult started = http.post("/api/cloud/start", alice,
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\",\"queue\":\"standard\"}");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        LedgerOperation.AuthorizeSession authorize = (LedgerOperation.AuthorizeSession) ledger.nextRequest()
                .request().operation();
        String session = authorize.session();
        assertThat(session).matches("gw[A-Za-z0-9]{30}");
        assertThat(authorize.queue()).isEqualTo("standard");
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.StartSession(session, null));
        LedgerRequest first = ledger.nextRequest().request();
        assertThat(first.operation()).isEqualTo(new LedgerOperation.RenewSession(session, 0));
        LedgerRequest second = ledger.nextRequest().request();
        assertThat(second.operation()).as("renewed with the deadline it held")
                .isEqualTo(new LedgerOperation.RenewSession(session, 31));
        assertThat(second.receivedAtMillis()).isGreaterThan(first.receivedAtMillis());
        assertThat(binding("alice")).containsEntry("session", session).containsEntry("billing", "server");

        assertThat(http.post("/api/cloud/stop", alice).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.drain().stream()
                .anyMatch(received -> received.request().operation().equals(new LedgerOperation.StopSession(session))));
        // Renews are due every 0.3 s in this context: a second of quiet means the heartbeat stopped with the game.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> ledger.drain().isEmpty());
    }

    @Test
    void aRetryAfterTheOpeningOfTheGatewaysSessionWentUnansweredUsesThatSession() throws Exception {
        ledger.stayQuiet();

        HttpResult unanswered = start(alice, "g1", "cs");

        assertThat(unanswered.status()).as(unanswered.toString()).isEqualTo(503);
        assertThat(unanswered.errorCode()).isEqualTo("ledger_unavailable");
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
        String opened = ((LedgerOperation.AuthorizeSession) ledger.nextRequest().request().operation()).session();
        // The ledger did open it, and like the real one refuses the user a second session while it is authorized.
        ledger.answer(request -> request.operation() instanceof LedgerOperation.AuthorizeSession other
                && !other.session().equals(opened)
                ? LedgerReply.refused(request.requestId(), LedgerError.TOO_MANY_SESSIONS, "one session at a time")
                : LedgerResponder.generous(request));

        HttpResult retried = start(alice, "g1", "cs");

        assertThat(retried.status()).as("before: 409 too_many_sessions for the authorization timeout, 10 min; "
                + retried).isEqualTo(200);
        assertThat(List.of(ledger.nextRequest(), ledger.nextRequest(), ledger.nextRequest()))
                .extracting(received -> received.request().operation())
                .containsExactly(new LedgerOperation.AdmitCloudGame(opened),
                        new LedgerOperation.StartSession(opened, null), new LedgerOperation.RenewSession(opened, 0));
        assertThat(binding("alice")).containsEntry("session", opened).containsEntry("state", "running");
        assertThat(playing()).containsExactly("alice");
    }

    @Test
    void anUnansweredEndOfAGameOverItsMaximumPlaytimeHoldsUpNoOtherGamesRenew() {
        String bob = UserTokens.of("bob");
        // Ends go unanswered; a renew is due again after the least pause (300 ms), as its deadline stays behind.
        ledger.answerSome(request -> request.operation() instanceof LedgerOperation.StopSession ? Optional.empty()
                : Optional.of(request.operation() instanceof LedgerOperation.RenewSession renew
                ? LedgerReply.accepted(request.requestId(), 1000L, renew.lastDeadline() + 1, "standard")
                : LedgerResponder.generous(request)));
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g2", "cs").status()).isEqualTo(200);
        String alicesSession = (String) binding("alice").get("session");
        String bobsSession = (String) binding("bob").get("session");

        // Alice's game has run past the maximum playtime (12 h).
        jdbc.update("UPDATE cloud_session SET first_renew_at = first_renew_at - interval '13 hours'"
                + " WHERE user_id = 'alice'");

        List<LedgerRequest> asked = new ArrayList<>();
        long[] endAskedAt = new long[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ledger.drain().forEach(received -> asked.add(received.request()));
            endAskedAt[0] = asked.stream()
                    .filter(request -> request.operation().equals(new LedgerOperation.StopSession(alicesSession)))
                    .findFirst().orElseThrow(() -> new AssertionError("Alice's end is not asked yet"))
                    .receivedAtMillis();
            assertThat(renewsOf(bobsSession, asked)).last().asInstanceOf(InstanceOfAssertFactories.LONG)
                    .isGreaterThan(endAskedAt[0] + 4_000);
        });
        List<Long> bobsRenews = renewsOf(bobsSession, asked).stream()
                .filter(at -> at >= endAskedAt[0] - 1_000).toList();
        for (int i = 1; i < bobsRenews.size(); i++) {
            assertThat(bobsRenews.get(i) - bobsRenews.get(i - 1))
                    .as("before: the round waited for the end's answer (3 s) and Bob's renews with it; " + bobsRenews)
                    .isLessThan(2_000);
        }
    }

    private static List<Long> renewsOf(String session, List<LedgerRequest> asked) {
        return asked.stream().filter(request -> request.operation() instanceof LedgerOperation.RenewSession renew
                && renew.session().equals(session)).map(LedgerRequest::receivedAtMillis).toList();
    }

    @Test
    void aStartTheGatewayPaysForThatIsRefusedLeavesTheClientsSessionAlone() throws Exception {
        TestGs.emulator().failNext("TrylockWorker", "FailedOperation.ProcessTimeout", 5);
        assertThat(startWithSession(alice, "sdkSession1").status()).as("GS down: the binding stays reserved")
                .isEqualTo(503);
        ledger.drain();
        ledger.answer(request -> request.operation() instanceof LedgerOperation.AuthorizeSession
                ? LedgerReply.refused(request.requestId(), LedgerError.INSUFFICIENT_BALANCE, "no money")
                : LedgerResponder.generous(request));

        HttpResult refused = start(alice, "g1", "cs");

        assertThat(refused.status()).isEqualTo(402);
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .as("before: the SDK's session was ended (StopSession) before the ledger refused the new one")
                .noneMatch(LedgerOperation.StopSession.class::isInstance);
    }

    @Test
    void aSessionTheGatewayOpenedThatLostTheSlotToAnotherStartIsEnded() throws Exception {
        // While the ledger opens the session, another start (another instance) takes the user's slot.
        ledger.answer(request -> {
            if (request.operation() instanceof LedgerOperation.AuthorizeSession) {
                jdbc.update("UPDATE cloud_session SET session = 'takenByAnotherStart' WHERE user_id = 'alice'");
            }
            return LedgerResponder.generous(request);
        });

        HttpResult lost = start(alice, "g1", "cs");

        assertThat(lost.status()).as(lost.toString()).isEqualTo(409);
        assertThat(lost.errorCode()).isEqualTo("cloud_game_running");
        String opened = ((LedgerOperation.AuthorizeSession) ledger.nextRequest().request().operation()).session();
        assertThat(ledger.nextRequest().request().operation())
                .as("before: nothing ended it, and it held the user's one session until its authorization timed out")
                .isEqualTo(new LedgerOperation.StopSession(opened));
        assertThat(TestGs.calls("TrylockWorker", "alice")).isEmpty();
    }

    @Test
    void aStartAfterTheLedgerEndedTheSessionOfTheRunningGameLeavesThatGameToTheStopper() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        ledger.answer(request -> request.operation() instanceof LedgerOperation.AdmitCloudGame
                ? LedgerReply.refused(request.requestId(), LedgerError.SESSION_NOT_FOUND, "Session has ended")
                : LedgerResponder.generous(request));

        HttpResult another = start(alice, "g2", "cs");

        assertThat(another.status()).as(another.toString()).isEqualTo(409);
        assertThat(another.errorCode()).isEqualTo("cloud_game_running");
        await("before: the start released the binding of the running game, and nothing stopped that game")
                .atMost(Duration.ofSeconds(10)).until(() -> playing().isEmpty());
    }

    @Test
    void aGatewayRenewTheLedgerRefusesStopsTheGame() throws Exception {
        ledger.answer(PaidCloudGamesTest::refusingEveryRenewAfterTheFirst);

        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> playing().isEmpty());
        assertThat(TestGs.codes("StopGame", "alice")).contains("OK");
    }

    @Test
    void aStopGsHoldsUpHoldsUpNoOtherLedgerAnswerOfTheInstance() {
        ledger.answer(PaidCloudGamesTest::refusingEveryRenewAfterTheFirst);
        AtomicReference<HttpResult> bobsStart = new AtomicReference<>();
        // While GS holds the stop of alice's game, which her refused renew asked for, bob starts: the ledger's
        // admission of his session has to reach this gateway meanwhile.
        TestGs.emulator().afterNext("StopGame", "alice",
                () -> bobsStart.set(startWithSession(UserTokens.of("bob"), "bobsSession")));

        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        await("bob's start, made while GS holds alice's stop, answered").atMost(Duration.ofSeconds(15))
                .until(() -> bobsStart.get() != null);
        assertThat(bobsStart.get().status()).as("before: alice's stop ran on the thread that hands out the ledger's"
                + " answers, and bob's admission waited for it until his start timed out: "
                + bobsStart.get()).isEqualTo(200);
        assertThat(playing()).containsExactly("bob");
    }

    /** Accepts the first renew with a deadline 31 s on (the next is due a second later), refuses every later one. */
    private static LedgerReply refusingEveryRenewAfterTheFirst(LedgerRequest request) {
        if (request.operation() instanceof LedgerOperation.RenewSession renew) {
            return renew.lastDeadline() > 0
                    ? LedgerReply.refused(request.requestId(), LedgerError.SESSION_NOT_FOUND, "Session has ended")
                    : LedgerReply.accepted(request.requestId(), 1000L, renew.lastDeadline() + 31, "standard");
        }
        return LedgerResponder.generous(request);
    }

    private HttpResult startWithSession(String token, String session) {
        return http.post("/api/cloud/start", token,
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\",\"session\":\"" + session + "\"}");
    }

    private Map<String, Object> binding(String userId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT session, billing, state FROM cloud_session"
                + " WHERE user_id = ?", userId);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static Function<LedgerRequest, LedgerReply> refusing(LedgerError error) {
        return request -> LedgerReply.refused(request.requestId(), error, "refused by the test ledger");
    }

    /** {@code playbill.cloud.starts{result}} so far. */
    private double starts(String result) {
        return meters.get("playbill.cloud.starts").tag("result", result).counter().count();
    }
}
