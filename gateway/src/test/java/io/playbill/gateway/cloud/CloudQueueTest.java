package io.playbill.gateway.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With one worker per game, later players queue (FIFO per pool) and start when a worker frees up. */
class CloudQueueTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");
    private final String bob = UserTokens.of("bob");
    private final String carol = UserTokens.of("carol");

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
    void startingAgainWhileWaitingOnlyReportsThePlace() throws InterruptedException {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        // Hold the queue worker off bob, so that every TrylockWorker from now on would be the start call's.
        jdbc.update("UPDATE cloud_queue SET next_attempt_at = now() + interval '1 hour' WHERE user_id = 'bob'");
        Thread.sleep(500); // lets a round that read bob before the update finish
        int locksOfBob = TestGs.calls("TrylockWorker", "bob").size();

        HttpResult again = start(bob, "g1", "cs");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("position").asInt()).isEqualTo(1);
        assertThat(TestGs.calls("TrylockWorker", "bob")).hasSize(locksOfBob);
        assertThat(start(bob, "g2", "cs").errorCode()).isEqualTo("already_queued");
    }

    @Test
    void otherGamesAndRegionsHaveTheirOwnQueues() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);

        assertThat(start(bob, "g2", "cs").status()).isEqualTo(200);
        assertThat(http.post("/api/cloud/start", carol, "{\"clientSession\":\"cs\",\"gameId\":\"g1\","
                + "\"gameRegion\":\"ap-beijing\"}").status()).isEqualTo(200);
    }

    @Test
    void cancellingLeavesTheQueueAndReleasesAWorkerLockedForTheUser() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        http.post("/api/cloud/stop", alice);
        awaitReady(bob);

        HttpResult cancelled = http.delete("/api/cloud/queue", bob);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("cancelled").asBoolean()).isTrue();
        assertThat(locked()).isEmpty();
        assertThat(http.get("/api/cloud/queue", bob).status()).isEqualTo(404);
        assertThat(http.delete("/api/cloud/queue", bob).json().get("cancelled").asBoolean()).isFalse();
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
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g1", "cs").status()).isEqualTo(202);
        http.post("/api/cloud/stop", alice);
        awaitReady(bob);

        jdbc.update("UPDATE cloud_queue SET ready_until = now() - interval '1 second' WHERE user_id = 'bob'");

        awaitReady(carol);
        assertThat(TestGs.codes("StopGame", "bob")).containsExactly("OK");
        assertThat(locked()).containsExactly("carol");
    }

    @Test
    void aReadyPlayerWhoseWorkerWasTakenStaysFirstInLine() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(202);
        assertThat(start(carol, "g1", "cs").status()).isEqualTo(202);
        http.post("/api/cloud/stop", alice);
        awaitReady(bob);
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

    /** Waits until the queue says the user's worker is locked (the emulator knows a moment earlier). */
    private void awaitReady(String userToken) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(poll(userToken).get("status").asText()).isEqualTo("ready"));
    }

    private JsonNode poll(String userToken) {
        HttpResult result = http.get("/api/cloud/queue", userToken);
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        return result.json();
    }
}
