package io.playbill.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.EmulatorState;
import io.playbill.gsemulator.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * With one worker per game, later players queue (one FIFO per game, whatever region they prefer) and start when a
 * worker frees up.
 */
class CloudQueueTest extends CloudGatewayTest {

    @Autowired
    private DataSource dataSource;

    private final String alice = UserTokens.of("alice");
    private final String bob = UserTokens.of("bob");
    private final String carol = UserTokens.of("carol");
    private final String dave = UserTokens.of("dave");

    @Test
    void aSecondPlayerQueuesSeesPositionOneAndStartsWhenTheFirstStops() {
        assertThat(start(alice, "g1", "cs-alice").status()).isEqualTo(200);

        HttpResult queued = start(bob, "g1", "cs-bob");

        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.header("Location")).isEqualTo("/api/cloud/queue");
        assertThat(queued.json().get("status").asText()).isEqualTo("waiting");
        assertThat(queued.json().get("position").asInt()).isEqualTo(1);
        assertThat(queued.json().get("pollWithinSeconds").asLong()).isEqualTo(60);
        assertThat(poll(bob).get("position").asInt()).isEqualTo(1);
        assertThat(start(carol, "g1", "cs-carol").json().get("position").asInt()).isEqualTo(2);

        assertThat(http.post("/api/cloud/stop", alice).status()).isEqualTo(200);

        awaitReady(bob);
        JsonNode ready = poll(bob);
        assertThat(ready.get("position").asInt()).isEqualTo(1);
        assertThat(ready.get("startBefore").asText()).isNotBlank();
        assertThat(locked()).containsExactly("bob");
        assertThat(poll(carol).get("status").asText()).isEqualTo("waiting");

        HttpResult started = start(bob, "g1", "cs-bob-2");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("serverSession").asText()).isNotBlank();
        assertThat(playing()).containsExactly("bob");
        assertThat(http.get("/api/cloud/queue", bob).errorCode()).isEqualTo("not_queued");
        assertThat(poll(carol).get("position").asInt()).isEqualTo(1);
    }

    @Test
    void aNewcomerQueuesBehindWaitingPlayersWithoutTryingTheLock() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);

        HttpResult newcomer = start(carol, "g1", "cs");

        assertThat(newcomer.status()).isEqualTo(202);
        assertThat(newcomer.json().get("position").asInt()).isEqualTo(2);
        assertThat(TestGs.calls("TrylockWorker", "carol")).isEmpty();
    }

    @Test
    void startingAgainWhileWaitingOnlyReportsThePlace() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        // Hold the queue worker off bob, so that every TrylockWorker from now on would be the start call's. Stopping
        // the worker first waits for a round in progress, which may have read bob before the update.
        queueWorker.stop();
        jdbc.update("UPDATE cloud_queue SET next_attempt_at = now() + interval '1 hour' WHERE user_id = 'bob'");
        queueWorker.start();
        int locksOfBob = TestGs.calls("TrylockWorker", "bob").size();

        HttpResult again = start(bob, "g1", "cs");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("position").asInt()).isEqualTo(1);
        assertThat(TestGs.calls("TrylockWorker", "bob")).hasSize(locksOfBob);
        HttpResult otherRegion = http.post("/api/cloud/start", bob, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"gameRegion\":\"ap-beijing\"}");
        assertThat(otherRegion.status()).as("the same game's queue").isEqualTo(202);
        assertThat(otherRegion.json().get("position").asInt()).isEqualTo(1);
        assertThat(start(bob, "g2", "cs").errorCode()).isEqualTo("already_queued");
    }

    @Test
    void otherGamesHaveTheirOwnQueuesButRegionsDoNot() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        assertThat(start(bob, "g2", "cs").status()).isEqualTo(200);
        HttpResult otherRegion = http.post("/api/cloud/start", carol, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"gameRegion\":\"ap-beijing\"}");
        assertThat(otherRegion.status()).as(otherRegion.toString()).isEqualTo(202);
        assertThat(otherRegion.json().get("gameRegion").asText()).isEqualTo("ap-beijing");
        assertThat(poll(carol).get("position").asInt()).isEqualTo(1);
    }

    @Test
    void aGameFullInEveryRegionHasOneLineAndEachPlayersRegionIsPassedOnAsAPreference() {
        String game = TestGs.TWO_REGION_GAME;
        assertThat(startIn(alice, game, "ap-guangzhou").status()).isEqualTo(200);
        assertThat(startIn(bob, game, "ap-guangzhou").status()).as("GS falls back to Shanghai").isEqualTo(200);
        HttpResult carolQueued = startIn(carol, game, "ap-guangzhou");
        HttpResult daveQueued = startIn(dave, game, "ap-shanghai");

        assertThat(carolQueued.status()).as(carolQueued.toString()).isEqualTo(202);
        assertThat(daveQueued.json().get("position").asInt()).isEqualTo(2);
        assertThat(gsState().sessions()).extracting(EmulatorState.Session::userId, EmulatorState.Session::gameRegion)
                .containsExactlyInAnyOrder(tuple("alice", "ap-guangzhou"), tuple("bob", "ap-shanghai"));

        // Bob's Shanghai worker frees up: carol, first in line, gets it although she prefers Guangzhou.
        assertThat(http.post("/api/cloud/stop", bob).status()).isEqualTo(200);

        awaitReady(carol);
        assertThat(gsState().locks()).singleElement().satisfies(lock -> {
            assertThat(lock.userId()).isEqualTo("carol");
            assertThat(lock.requestedRegion()).isEqualTo("ap-guangzhou");
            assertThat(lock.gameRegion()).isEqualTo("ap-shanghai");
        });
        assertThat(poll(dave).get("status").asText()).isEqualTo("waiting");
    }

    @Test
    void theHeadOfTheQueueWaitsOutGsNotYetAnswersAndKeepsItsPlace() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g1", "cs").status()).isEqualTo(202);
        TestGs.emulator().failNextFor("bob", "TrylockWorker", "UnsupportedOperation.Stopping", 2);
        TestGs.emulator().failNextFor("bob", "TrylockWorker", "ResourceUnavailable.Initialization", 2);

        assertThat(http.post("/api/cloud/stop", alice).status()).isEqualTo(200);

        awaitReady(bob);
        assertThat(TestGs.codes("TrylockWorker", "bob")).containsSubsequence("UnsupportedOperation.Stopping",
                "UnsupportedOperation.Stopping", "ResourceUnavailable.Initialization",
                "ResourceUnavailable.Initialization", "OK");
        List<String> lockCalls = TestGs.emulator().journal().stream()
                .filter(call -> call.action().equals("TrylockWorker")).map(JournalEntry::userId).toList();
        assertThat(lockCalls.subList(0, lockCalls.lastIndexOf("bob"))).as("nobody is tried before the head is served")
                .doesNotContain("carol");
        assertThat(poll(carol).get("position").asInt()).isEqualTo(2);
    }

    @Test
    void aReadyPlayerWhoseLockIsLostAtCreateSessionStaysFirstInLine() {
        firstInLineGetsTheFreedWorker(alice, bob, carol);
        // The injected failure leaves bob's worker idle: a round during his start must not give it to carol.
        TestGs.emulator().failNext("CreateSession", "ResourceNotFound.NoIdle", 1);

        HttpResult requeued = start(bob, "g1", "cs");

        assertThat(requeued.status()).as(requeued.toString()).isEqualTo(202);
        assertThat(requeued.json().get("position").asInt()).isEqualTo(1);
        assertThat(poll(carol).get("position").asInt()).isEqualTo(2);
        awaitReady(bob);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(200);
        assertThat(playing()).containsExactly("bob");
    }

    @Test
    void cancellingLeavesTheQueueAndReleasesAWorkerLockedForTheUser() {
        firstInLineGetsTheFreedWorker(alice, bob);

        HttpResult cancelled = http.delete("/api/cloud/queue", bob);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("cancelled").asBoolean()).isTrue();
        assertThat(locked()).isEmpty();
        assertThat(http.get("/api/cloud/queue", bob).status()).isEqualTo(404);
        assertThat(http.delete("/api/cloud/queue", bob).json().get("cancelled").asBoolean()).isFalse();
    }

    /**
     * Bob's place is ready, and a start of his holds his game slot: it is under way (two devices, or a leave and a
     * start at once), or his game runs (a second start queued behind others while the first was under way, and the
     * queue locked his own game's worker for it). Leaving the queue released that worker, and StopGame, naming only
     * bob, ended the game the start is given or runs, which his session pays for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"starting", "running"})
    void leavingTheQueueLeavesTheWorkerToTheStartHoldingTheSlot(String slot) {
        firstInLineGetsTheFreedWorker(alice, bob);
        jdbc.update("UPDATE cloud_session SET state = ?, started_at = now() WHERE user_id = 'bob'", slot);

        HttpResult cancelled = http.delete("/api/cloud/queue", bob);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("cancelled").asBoolean()).isTrue();
        assertThat(TestGs.calls("StopGame", "bob")).as("before: the ready place's worker was released").isEmpty();
        assertThat(locked()).containsExactly("bob");
    }

    /**
     * A release of a ready place's worker holds the user's slot while GS answers, also when the user has no binding
     * (a round lets go of the lock of a place its player left): a start of the user waits, rather than binding and
     * being given the worker that StopGame then ends.
     */
    @Test
    void aStartWaitsForTheReleaseOfTheWorkerLockedForItsPlayersPlace() throws Exception {
        firstInLineGetsTheFreedWorker(alice, bob);
        jdbc.update("DELETE FROM cloud_session WHERE user_id = 'bob'");
        CompletableFuture<HttpResult> start = new CompletableFuture<>();
        AtomicBoolean startWaited = new AtomicBoolean();
        TestGs.emulator().afterNext("StopGame", "bob", () -> {
            CompletableFuture.runAsync(() -> start.complete(start(bob, "g1", "cs")));
            await().atMost(Duration.ofSeconds(10)).until(() -> start.isDone() || aStatementWaitsForAnAdvisoryLock());
            startWaited.set(!start.isDone());
        });

        assertThat(http.delete("/api/cloud/queue", bob).status()).isEqualTo(200);

        HttpResult started = start.get(10, TimeUnit.SECONDS);
        assertThat(startWaited).as("before: the start bound the slot and asked GS while StopGame was under way")
                .isTrue();
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(playing()).containsExactly("bob");
    }

    @Test
    void aPlaceWhoseClientStopsPollingExpires() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g1", "cs").status()).isEqualTo(202);

        jdbc.update("UPDATE cloud_queue SET last_poll_at = last_poll_at - interval '61 seconds' WHERE user_id = 'bob'");

        // Polling would keep the place alive: watch the table instead.
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM cloud_queue WHERE user_id = 'bob'", Integer.class) == 0);
        assertThat(http.get("/api/cloud/queue", bob).errorCode()).isEqualTo("not_queued");
        assertThat(poll(carol).get("position").asInt()).as("carol moved up").isEqualTo(1);
    }

    @Test
    void aReadyPlaceNobodyClaimsReleasesItsWorkerToTheNextPlayer() {
        firstInLineGetsTheFreedWorker(alice, bob, carol);

        jdbc.update("UPDATE cloud_queue SET ready_until = now() - interval '1 second' WHERE user_id = 'bob'");

        awaitReady(carol);
        assertThat(TestGs.codes("StopGame", "bob")).containsExactly("OK");
        assertThat(locked()).containsExactly("carol");
    }

    @Test
    void aReadyPlayerWhoseWorkerWasTakenStaysFirstInLine() {
        firstInLineGetsTheFreedWorker(alice, bob, carol);
        TestGs.emulator().failNext("TrylockWorker", "ResourceNotFound.NoIdle", 1);

        HttpResult requeued = start(bob, "g1", "cs");

        assertThat(requeued.status()).as(requeued.toString()).isEqualTo(202);
        assertThat(requeued.json().get("position").asInt()).isEqualTo(1);
        assertThat(poll(carol).get("position").asInt()).isEqualTo(2);
    }

    @Test
    void aPlaceGsRefusesForGoodIsReportedOnceThenGone() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        TestGs.emulator().failNext("TrylockWorker", "InvalidParameterValue", 1);

        http.post("/api/cloud/stop", alice);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(TestGs.codes("TrylockWorker", "bob")).contains("InvalidParameterValue"));
        JsonNode failed = poll(bob);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("cloud_invalid_parameter");
        assertThat(http.get("/api/cloud/queue", bob).errorCode()).isEqualTo("not_queued");
    }

    @Test
    void aPlayerWhoLeavesTheQueueAndStartsAtOnceKeepsTheGameTheQueuesLockWouldHaveEnded() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(dave, "g2", "cs").status()).isEqualTo(200);
        AtomicReference<HttpResult> restart = new AtomicReference<>();
        // While GS locks the freed worker for bob's place, bob leaves the queue and starts again at once; then carol
        // queues for g2, which only a later queue round serves.
        TestGs.emulator().afterNext("TrylockWorker", "bob", () -> {
            http.delete("/api/cloud/queue", bob);
            restart.set(start(bob, "g1", "cs"));
            start(carol, "g2", "cs");
        });

        http.post("/api/cloud/stop", alice);

        await("a later queue round tried carol's place").atMost(Duration.ofSeconds(15))
                .until(() -> TestGs.calls("TrylockWorker", "carol").size() >= 2);
        assertThat(restart.get().status()).as(restart.get().toString()).isEqualTo(200);
        assertThat(TestGs.codes("StopGame", "bob")).as("before: the round released the lock of bob's cancelled place,"
                + " ending the game bob's own start had begun on it").isEmpty();
        assertThat(playing()).contains("bob");
    }

    @Test
    void aRoundDoesNotSettleAPlaceItsPlayerLeftAndTookAgainMeanwhile() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g2", "cs").status()).isEqualTo(200);
        assertThat(start(dave, "g2", "cs").status()).isEqualTo(202);
        // While GS locks a g1 worker for bob's place, bob leaves and queues for g2 behind dave.
        TestGs.emulator().afterNext("TrylockWorker", "bob", () -> {
            http.delete("/api/cloud/queue", bob);
            start(bob, "g2", "cs");
        });

        http.post("/api/cloud/stop", alice);

        await("the round released the lock of bob's g1 place").atMost(Duration.ofSeconds(15))
                .until(() -> TestGs.codes("StopGame", "bob").contains("OK"));
        JsonNode place = poll(bob);
        assertThat(place.get("gameId").asText()).isEqualTo("g2");
        assertThat(place.get("status").asText()).as("bob's new place, for g2, where no worker was locked for him")
                .isEqualTo("waiting");
        assertThat(locked()).doesNotContain("bob");
    }

    @Test
    void aPlaceIsReadyForItsPlayerWhileTheRoundStillServesThePlacesBehindIt() {
        String game = TestGs.TWO_REGION_GAME;
        assertThat(startIn(alice, game, "ap-shanghai").status()).isEqualTo(200);
        assertThat(startIn(bob, game, "ap-guangzhou").status()).isEqualTo(200);
        assertThat(startIn(carol, game, "ap-shanghai").status()).isEqualTo(202);
        assertThat(startIn(dave, game, "ap-guangzhou").status()).isEqualTo(202);
        queueWorker.stop();
        http.post("/api/cloud/stop", alice);
        http.post("/api/cloud/stop", bob);
        AtomicReference<String> carolsPlace = new AtomicReference<>();
        TestGs.emulator().afterNext("TrylockWorker", "dave", () -> carolsPlace.set(jdbc.queryForObject(
                "SELECT status FROM cloud_queue WHERE user_id = 'carol'", String.class)));

        queueWorker.start();

        await().atMost(Duration.ofSeconds(15)).until(() -> carolsPlace.get() != null);
        assertThat(carolsPlace.get()).as("carol's place, seen while GS locks dave's worker in the same round"
                + " (before: waiting until the round's end, and carol's poll waited for it)").isEqualTo("ready");
        awaitReady(dave);
    }

    @Test
    void aRoundHoldsNoTableWhileGsAnswers() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        AtomicReference<String> migration = new AtomicReference<>();
        // While GS locks a worker for bob's place, something takes the queue's tables for itself (a migration).
        TestGs.emulator().afterNext("TrylockWorker", "bob", () -> migration.set(lockTablesExclusively()));

        http.post("/api/cloud/stop", alice);

        awaitReady(bob);
        assertThat(migration.get()).as("before: the round held the queue's table, and the migration, its next write"
                + " queued behind the migration, waited on both for ever").isEqualTo("locked");
    }

    @Test
    void aRoundThatLetsGoOfALockNobodyTakesHoldsNoTableEither() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g1", "cs").status()).isEqualTo(202);
        AtomicReference<String> migration = new AtomicReference<>();
        // Bob leaves while GS locks for him, so the round lets his lock go; then GS is asked for carol.
        TestGs.emulator().afterNext("TrylockWorker", "bob", () -> http.delete("/api/cloud/queue", bob));
        TestGs.emulator().afterNext("TrylockWorker", "carol", () -> migration.set(lockTablesExclusively()));

        http.post("/api/cloud/stop", alice);

        await().atMost(Duration.ofSeconds(15)).until(() -> migration.get() != null);
        assertThat(migration.get()).as("before: letting bob's lock go read his game slot inside the round, whose"
                + " transaction then held that table").isEqualTo("locked");
        awaitReady(carol);
    }

    private String lockTablesExclusively() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SET LOCAL lock_timeout = '3s'");
            statement.execute("LOCK TABLE cloud_queue, cloud_session IN ACCESS EXCLUSIVE MODE");
            connection.rollback();
            return "locked";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private HttpResult startIn(String userToken, String gameId, String gameRegion) {
        return http.post("/api/cloud/start", userToken, "{\"clientSession\":\"cs\",\"gameId\":\"" + gameId
                + "\",\"gameRegion\":\"" + gameRegion + "\"}");
    }
}
