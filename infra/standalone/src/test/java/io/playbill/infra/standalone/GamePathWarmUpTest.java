package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.playbill.infra.standalone.EndToEndPlatform.events;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up {@code ./playbill up} runs before it reports the platform up (decision 058) crosses the real game path
 * and leaves nothing behind: every call is the ledger's refusal, and the ledger's event store holds nothing of its
 * players afterwards, also when the queue is free and an authToken would be served.
 */
@ExtendWith(EndToEndPlatform.class)
class GamePathWarmUpTest {

    private static final int PLAYERS = 6;
    private static final int RENEWS = 2;

    @Test
    void everyWarmUpCallIsRefusedByTheLedgerAndStoresNothing() throws Exception {
        String run = GamePathWarmUp.newRunId();

        GamePathWarmUp.Result result = new GamePathWarmUp(EndToEndPlatform.gateway(), Platform.DEV_QUEUE)
                .run(run, PLAYERS, RENEWS, 3, Duration.ofSeconds(60));

        assertThat(result.authTokenLeftOut()).as("the dev queue's price makes authToken a refusal").isNull();
        assertEveryCallRefusedAndNothingStored(run, result, "authToken, start, the renews and stop", RENEWS + 3L);
    }

    @Test
    void onAFreeQueueAuthTokenIsLeftOutBecauseItWouldBeServedAndStored() throws Exception {
        String gateway = EndToEndPlatform.gateway();
        EndToEndPlatform.price("free", 0);
        // What the warm-up must not do: a player without money is served an authToken on a free queue.
        String someone = "free-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "free" + UUID.randomUUID().toString().replace("-", "");
        var served = send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=free",
                DevCredentials.userToken(someone, List.of(), Duration.ofMinutes(5)), null);
        assertThat(served.status()).as(served.body().toString()).isEqualTo(200);
        String run = GamePathWarmUp.newRunId();

        GamePathWarmUp.Result result = new GamePathWarmUp(gateway, "free")
                .run(run, PLAYERS, RENEWS, 3, Duration.ofSeconds(60));

        assertThat(result.authTokenLeftOut()).as("why authToken was left out")
                .matches("queue free (costs 0 a minute.*|has no price)");
        assertEveryCallRefusedAndNothingStored(run, result, "start, the renews and stop", RENEWS + 2L);
    }

    @Test
    void aPlayerWithMoneyIsServedSoTheWarmUpCannotCountServedCallsAsRefusals() throws Exception {
        String run = GamePathWarmUp.newRunId();
        String player = GamePathWarmUp.player(run, 0);
        EndToEndPlatform.deposit(player, 10_000);
        int eventsBefore = events(player).size();

        GamePathWarmUp.Result result = new GamePathWarmUp(EndToEndPlatform.gateway(), Platform.DEV_QUEUE)
                .run(run, 1, 1, 1, Duration.ofSeconds(60));

        assertThat(result.unexpected()).as("the authToken at least is served").containsKey("HTTP 200");
        assertThat(result.refused()).isLessThan(result.calls());
        assertThat(events(player).size()).as("the session it authorized, stored").isGreaterThan(eventsBefore);
    }

    /** Every player played, each of its {@code calls} ({@code perPlayer} of them) refused, and no event stored. */
    private static void assertEveryCallRefusedAndNothingStored(String run, GamePathWarmUp.Result result,
                                                               String calls, long perPlayer) throws Exception {
        assertThat(result.unexpected()).as("answers other than the ledger's refusals").isEmpty();
        assertThat(result.players()).isEqualTo(PLAYERS);
        assertThat(result.refused()).as(calls + " of every player").isEqualTo(PLAYERS * perPlayer);
        for (int i = 0; i < PLAYERS; i++) {
            String user = GamePathWarmUp.player(run, i);
            assertThat(events(user)).as("events of " + user + " in the ledger's store, which every read model, "
                    + "report and audit derives from").isEmpty();
        }
    }
}
