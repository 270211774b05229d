package io.playbill.gateway.cloud.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * While a ready player's start call runs, their place holds the line: bob is ready (alice stopped), carol waits
 * behind him, and bob's start is under way, as {@link CloudQueue#claimReady} leaves it. Queue rounds are taken by
 * hand here, with the queue worker held.
 */
class StartingPlaceTest extends CloudGatewayTest {

    private static final GsPool G1 = new GsPool("g1");

    private final String alice = UserTokens.of("alice");
    private final String bob = UserTokens.of("bob");
    private final String carol = UserTokens.of("carol");

    @Autowired
    private CloudQueue queue;

    private QueuePlace bobsStart;

    @BeforeEach
    void bobIsStartingWithCarolBehindHim() {
        firstInLineGetsTheFreedWorker(alice, bob, carol);
        queueWorker.stop();
        bobsStart = queue.claimReady("bob").orElseThrow();
    }

    @AfterEach
    void releaseTheQueueWorker() {
        queueWorker.start();
    }

    @Test
    void nobodyBehindAStartingPlaceIsServedUntilItsStartEnds() {
        JsonNode bobs = poll(bob);
        assertThat(bobs.get("status").asText()).isEqualTo("starting");
        assertThat(bobs.get("position").asInt()).isEqualTo(1);
        assertThat(poll(carol).get("position").asInt()).isEqualTo(2);
        assertThat(turn()).as("a round during bob's start").isEmpty();

        QueueStanding back = queue.putBack(bobsStart).orElseThrow();

        assertThat(back.place().status()).isEqualTo(QueuePlace.Status.WAITING);
        assertThat(back.position()).isEqualTo(1);
        assertThat(turn()).as("a round once bob's worker was lost").containsExactly("bob", "carol");
    }

    @Test
    void aStartThatEndsOtherwiseTakesThePlaceOutOfLine() {
        queue.leaveStarting(bobsStart);

        assertThat(queue.find("bob")).isEmpty();
        assertThat(turn()).containsExactly("carol");
    }

    @Test
    void aPlayerWhoLeftTheLineDuringTheirStartIsNotPutBackInIt() {
        assertThat(http.delete("/api/cloud/queue", bob).status()).isEqualTo(200);

        assertThat(queue.putBack(bobsStart)).as("the lost worker's start putting bob back").isEmpty();
        assertThat(queue.find("bob")).isEmpty();
        assertThat(turn()).containsExactly("carol");
    }

    @Test
    void aSecondStartDuringTheFirstIsRefusedAndChangesNothing() {
        HttpResult second = start(bob, "g1", "cs");

        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("start_in_progress");
        assertThat(queue.find("bob")).get().extracting(QueuePlace::status).isEqualTo(QueuePlace.Status.STARTING);
        assertThat(TestGs.codes("CreateSession", "bob")).isEmpty();
    }

    @Test
    void aStartWhoseGatewayDiedStopsHoldingTheLineAfterTheReadyTimeout() {
        jdbc.update("UPDATE cloud_queue SET ready_until = now() - interval '1 second' WHERE user_id = 'bob'");

        List<QueuePlace> expired = queue.expire();

        assertThat(expired).extracting(QueuePlace::userId, QueuePlace::status)
                .containsExactly(tuple("bob", QueuePlace.Status.STARTING));
        assertThat(turn()).containsExactly("carol");
    }

    @Test
    void aStartThatOutlivedTheReadyTimeoutLeavesThePlayersNextStartAlone() {
        jdbc.update("UPDATE cloud_queue SET ready_until = now() - interval '1 second' WHERE user_id = 'bob'");
        queue.expire();
        // Bob queues again, and a later round and start of his own claim the new place.
        queue.enqueue("bob", bobsStart.lock(), bobsStart.userIp());
        jdbc.update("UPDATE cloud_queue SET status = 'starting', ready_until = now() + interval '20 seconds' "
                + "WHERE user_id = 'bob'");

        assertThat(queue.putBack(bobsStart)).as("the first start, its worker lost").isEmpty();
        queue.leaveStarting(bobsStart);

        QueuePlace second = queue.find("bob").orElseThrow(() -> new AssertionError("bob's second place is gone"));
        assertThat(second.status()).as("bob's second start holds its place").isEqualTo(QueuePlace.Status.STARTING);
        assertThat(second.seq()).isGreaterThan(bobsStart.seq());
    }

    /** The users a queue round of game g1 would try, in order. */
    private List<String> turn() {
        List<String> tried = new ArrayList<>();
        assertThat(queue.takeTurn(G1, 10, turn -> turn.waiting().forEach(place -> tried.add(place.userId()))))
                .as("the round had the game's lock").isTrue();
        return tried;
    }
}
