package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.playbill.infra.standalone.EndToEndPlatform.events;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up {@code ./playbill up} runs before it reports the platform up (decision 058) crosses the real game path
 * and leaves nothing behind: every call is the ledger's refusal, and the ledger's event store holds nothing of its players afterwards.
 */
@ExtendWith(EndToEndPlatform.class)
class GamePathWarmUpTest {

    @Test
    void everyWarmUpCallIsRefusedByTheLedgerAndStoresNothing() throws Exception {
        String gateway = EndToEndPlatform.gateway();
        String run = GamePathWarmUp.newRunId();
        int players = 6;
        int renews = 2;

        GamePathWarmUp.Result result = new GamePathWarmUp(gateway, Platform.DEV_QUEUE)
                .run(run, players, renews, 3, Duration.ofSeconds(60));

        assertThat(result.unexpected()).as("answers other than the ledger's refusals").isEmpty();
        assertThat(result.players()).isEqualTo(players);
        assertThat(result.refused()).as("authToken, start, the renews and stop of every player")
                .isEqualTo(players * (renews + 3L));
        for (int i = 0; i < players; i++) {
            String user = GamePathWarmUp.player(run, i);
            assertThat(events(user)).as("events of " + user + " in the ledger's store, which every read model, "
                    + "report and audit derives from").isEmpty();
        }
    }

    @Test
    void aPlayerWithMoneyIsNotRefusedSoTheWarmUpCannotPassForAnythingElse() throws Exception {
        // The refusal the warm-up counts is the ledger's answer to a player without money, not any 402: the same
        // calls by a player who has money are served.
        String run = GamePathWarmUp.newRunId();
        EndToEndPlatform.deposit(GamePathWarmUp.player(run, 0), 10_000);

        GamePathWarmUp.Result result = new GamePathWarmUp(EndToEndPlatform.gateway(), Platform.DEV_QUEUE)
                .run(run, 1, 1, 1, Duration.ofSeconds(60));

        assertThat(result.unexpected()).as("the authToken at least is served").containsKey("HTTP 200");
        assertThat(result.refused()).isLessThan(result.calls());
        assertThat(events(GamePathWarmUp.player(run, 0))).as("what the first test finds none of, for this player").hasSizeGreaterThan(1);
    }
}
