package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A player's stop hands its game to the stopper before it asks GS, due after a grace: an instance that dies between
 * StopGame and releasing the game's binding (and ending its session) left that binding to the gateway's heartbeat,
 * which billed the stopped game until the balance ran out or the maximum playtime was reached.
 */
@TestPropertySource(properties = {"playbill.cloud.connect-timeout=1s", "playbill.cloud.read-timeout=1s",
        "playbill.cloud.stopper.finish-grace=4s"})
// Closed after the class: a context of its own stays cached otherwise, and its queue worker and stopper would go on
// serving the database and emulator every cloud test shares (a queue place served while a later test held its own
// worker stopped).
@DirtiesContext
class StopFinishedByTheStopperTest extends CloudGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void aStopCutOffAfterStopGameIsFinishedByTheStopper() {
        assertThat(start(alice, "g1", "cs").status()).isEqualTo(200);
        // The instance dies right after StopGame: its release fails (the stand-in ledger keeps no sessions, so the
        // heartbeat renews on whatever it is told, as the real one would a session nobody ended).
        jdbc.execute("CREATE FUNCTION dies_after_stop_game() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'the instance died'; END $$");
        jdbc.execute("CREATE TRIGGER dies_after_stop_game BEFORE DELETE ON cloud_session FOR EACH ROW"
                + " WHEN (OLD.user_id = 'alice') EXECUTE FUNCTION dies_after_stop_game()");
        try {
            http.post("/api/cloud/stop", alice);
        } finally {
            jdbc.execute("DROP TRIGGER dies_after_stop_game ON cloud_session");
            jdbc.execute("DROP FUNCTION dies_after_stop_game()");
        }
        assertThat(playing()).as("GS stopped the game").isEmpty();
        assertThat(jdbc.queryForList("SELECT state FROM cloud_session WHERE user_id = 'alice'", String.class))
                .as("left bound, so the heartbeat bills on").containsExactly("running");

        await("the stopper releases the game, and the heartbeat stops with it").atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForList("SELECT 1 FROM cloud_session WHERE user_id = 'alice'").isEmpty());
    }
}
