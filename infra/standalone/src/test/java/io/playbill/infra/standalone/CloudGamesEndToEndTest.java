package io.playbill.infra.standalone;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.playbill.infra.standalone.EndToEndPlatform.STOP_LATENCY;
import static io.playbill.infra.standalone.EndToEndPlatform.assertBalanceRanOutAndTheGameStopped;
import static io.playbill.infra.standalone.EndToEndPlatform.connect;
import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.gsCalls;
import static io.playbill.infra.standalone.EndToEndPlatform.player;
import static io.playbill.infra.standalone.EndToEndPlatform.price;
import static io.playbill.infra.standalone.EndToEndPlatform.stoppedAt;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cloud games through the real path — gateway → Tencent SDK → GS emulator, gateway → Kafka → ledger → ledger-events
 * → gateway — are never unpaid and always stopped when their session ends: for clients of the token SDK and for
 * Tencent's own clients (TCGSDK, the v1/v2 demo paths), which never renew.
 */
@ExtendWith(EndToEndPlatform.class)
class CloudGamesEndToEndTest {

    private static String gateway;

    @BeforeAll
    static void platform() throws Exception {
        gateway = EndToEndPlatform.gateway();
        // 600 per minute = 10 per second: 310 pays one 31 s cycle. Set here so no test depends on another's order.
        price("standard", 600);
        price("premium", 60);
    }

    @Test
    void aClientWithoutTheTokenHeartbeatIsBilledByTheGatewayAndStoppedWhenItsBalanceRunsOut() throws Exception {
        String user = "tcgsdk-" + UUID.randomUUID().toString().substring(0, 8);
        // The v2 path plays on the default queue (600 per minute, set above).
        deposit(user, 310);

        var started = send("POST", gateway + "/StartGame", player(user),
                "{\"GameId\":\"game-v2\",\"UserId\":\"" + user + "\",\"ClientSession\":\"eyJ4IjoxfQ==\","
                        + "\"RequestId\":\"req-1\"}");

        assertThat(started.status()).isEqualTo(200);
        assertThat(started.body().get("Code").asInt()).as(started.body().toString()).isZero();
        assertThat(started.body().at("/SessionDescribe/ServerSession").asText()).isNotBlank();
        // Nobody renews but the gateway: it bills every few seconds until the balance is spent, then GS stops it.
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .until(() -> stoppedAt(user).isPresent());
        assertThat(EndToEndPlatform.events(user)).filteredOn(e -> e.has("session")).allSatisfy(e ->
                assertThat(e.get("session").asText()).as("the session the gateway opened").startsWith("gw"));
        assertBalanceRanOutAndTheGameStopped(user, 10, 20);
    }

    @Test
    void aPlayerWhoCannotPayGetsNoGameOnAnyPath() throws Exception {
        String user = "broke-" + UUID.randomUUID().toString().substring(0, 8);
        String token = player(user);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");

        var authToken = send("GET", gateway + "/api/game/authToken?session=" + session, token, null);
        var withSession = send("POST", gateway + "/api/cloud/start", token,
                "{\"clientSession\":\"cs\",\"gameId\":\"game-1\",\"session\":\"" + session + "\"}");
        var withoutSession = send("POST", gateway + "/api/cloud/start", token,
                "{\"clientSession\":\"cs\",\"gameId\":\"game-1\"}");
        var v2 = send("POST", gateway + "/StartGame", token, "{\"GameId\":\"game-1\",\"ClientSession\":\"cs\"}");
        var v1 = send("POST", gateway + "/StartCloudGame", token, "{\"GameId\":\"game-1\",\"ClientSession\":\"cs\"}");

        assertThat(authToken.status()).isEqualTo(402);
        assertThat(withSession.status()).as("the session was never authorized").isEqualTo(403);
        assertThat(withoutSession.status()).isEqualTo(402);
        assertThat(withoutSession.body().at("/error/code").asText()).isEqualTo("insufficient_balance");
        assertThat(v2.body().get("Code").asInt()).isEqualTo(10202);
        assertThat(v2.body().at("/Error/code").asText()).isEqualTo("insufficient_balance");
        assertThat(v1.body().get("code").asInt()).isEqualTo(-1);
        assertThat(gsCalls("TrylockWorker", user)).as("GS was never asked").isZero();
    }

    @Test
    void stoppingTheSessionByTheClientOrAnOperatorStopsItsGame() throws Exception {
        String alice = "stopper-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        deposit(alice, 10_000);
        String aliceToken = player(alice);
        assertThat(send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=premium", aliceToken, null)
                .status()).isEqualTo(200);
        assertThat(send("POST", gateway + "/api/cloud/start", aliceToken, "{\"clientSession\":\"cs\","
                + "\"gameId\":\"game-stop\",\"session\":\"" + session + "\"}").status()).isEqualTo(200);

        // "Stop billing, keep playing" is over: the SDK's stop ends the game too.
        Instant stopped = Instant.now();
        assertThat(send("POST", gateway + "/api/game/stop", aliceToken, "{\"session\":\"" + session + "\"}")
                .status()).isEqualTo(200);
        // Within about a second on an idle machine; this one is shared with the other test lane (decision 052).
        await().atMost(STOP_LATENCY).until(() -> stoppedAt(alice).isPresent());
        assertThat(Duration.between(stopped, stoppedAt(alice).orElseThrow())).isLessThan(STOP_LATENCY);

        String bob = "operated-" + UUID.randomUUID().toString().substring(0, 8);
        deposit(bob, 10_000);
        assertThat(send("POST", gateway + "/StartCloudGame", player(bob), "{\"GameId\":\"game-op\","
                + "\"ClientSession\":\"cs\"}").body().get("code").asInt()).isZero();
        String bobsSession;
        try (Connection c = connect("playbill_gateway");
             var q = c.prepareStatement("select session from cloud_session where user_id = ?")) {
            q.setString(1, bob);
            var rs = q.executeQuery();
            assertThat(rs.next()).isTrue();
            bobsSession = rs.getString(1);
        }
        Instant ended = Instant.now();
        assertThat(send("POST", gateway + "/api/admin/accounts/" + bob + "/sessions/" + bobsSession + "/stop",
                EndToEndPlatform.admin(), null).status()).isEqualTo(200);
        await().atMost(STOP_LATENCY).until(() -> stoppedAt(bob).isPresent());
        assertThat(Duration.between(ended, stoppedAt(bob).orElseThrow())).isLessThan(STOP_LATENCY);
    }
}
