package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.playbill.infra.standalone.EndToEndPlatform.assertBalanceRanOutAndTheGameStopped;
import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.events;
import static io.playbill.infra.standalone.EndToEndPlatform.renew;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing through the real path, as a game client drives it: gateway → Kafka → ledger (Axon, PostgreSQL) →
 * reply → signed token. Real seconds pass, so prices are high and balances small to keep it short. The platform is
 * the JVM's shared one ({@link EndToEndPlatform}).
 */
@ExtendWith(EndToEndPlatform.class)
class LedgerEndToEndTest {

    private static Platform platform;
    private static String gateway;
    private static String admin;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = EndToEndPlatform.shared();
        gateway = EndToEndPlatform.gateway();
        admin = EndToEndPlatform.admin();
    }

    @Test
    void aPlayerWhoseBalanceRunsOutHasTheCloudGameStoppedWithinFiveSecondsOfThePaidTime() throws Exception {
        String queue = "premium";
        String user = "player-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        // 600 per minute = 10 per second: a balance of 310 pays for one 31 s cycle.
        assertThat(send("PUT", gateway + "/api/admin/prices/" + queue, admin, "{\"pricePerMinute\":600}").status())
                .isEqualTo(200);
        assertThat(deposit(user, 310).path("balance").asLong()).isEqualTo(310);
        String player = DevCredentials.userToken(user, List.of(), Duration.ofMinutes(30));

        // The token SDK's order: authToken, the cloud game paid by that session, then the startToken.
        assertThat(send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=" + queue, player, null)
                .status()).isEqualTo(200);
        var cloud = send("POST", gateway + "/api/cloud/start", player,
                "{\"clientSession\":\"cs-" + session + "\",\"gameId\":\"game-exhaust\",\"session\":\"" + session + "\"}");
        assertThat(cloud.status()).as(cloud.body().toString()).isEqualTo(200);
        assertThat(cloud.body().path("serverSession").asText()).isNotBlank();
        assertThat(send("POST", gateway + "/api/game/start", player,
                "{\"session\":\"" + session + "\",\"queue\":\"" + queue + "\"}").status()).isEqualTo(200);

        long first = renew(player, session, 0);
        assertThat(first).as("the first renew grants what the balance pays for, at most one cycle")
                .isEqualTo(EndToEndPlatform.CYCLE_SECONDS);

        // The SDK asks again whenever playTime > deadline - 30, i.e. all the time here; every 2 s is plenty.
        long lastDeadline = first;
        List<Long> deadlines = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < until && !stoppedBy(user)) {
            Thread.sleep(2000);
            var reply = send("POST", gateway + "/api/game/renew", player,
                    "{\"session\":\"" + session + "\",\"lastDeadline\":" + lastDeadline + "}");
            if (reply.status() != 200) {
                break;
            }
            lastDeadline = TestHttp.claims(reply.body().get("token").asText()).get("deadline").asLong();
            deadlines.add(lastDeadline);
        }
        assertThat(deadlines).as("the deadline never exceeds what the balance paid for")
                .allMatch(d -> d <= EndToEndPlatform.CYCLE_SECONDS);

        assertBalanceRanOutAndTheGameStopped(user, 10, 25);
    }

    private static boolean stoppedBy(String user) throws Exception {
        return EndToEndPlatform.stoppedAt(user).isPresent();
    }

    @Test
    void aKilledAndRestartedLedgerLosesNoChargeAndChargesNothingTwice() throws Exception {
        String queue = "standard";
        assertThat(send("PUT", gateway + "/api/admin/prices/" + queue, admin, "{\"pricePerMinute\":60}").status())
                .isEqualTo(200);
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String user = "crash-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            deposit(user, 100_000);
            Player p = new Player(user, "s" + UUID.randomUUID().toString().replace("-", ""),
                    DevCredentials.userToken(user, List.of(), Duration.ofMinutes(30)));
            assertThat(send("GET", gateway + "/api/game/authToken?session=" + p.session + "&queue=" + queue,
                    p.token, null).status()).isEqualTo(200);
            assertThat(send("POST", gateway + "/api/game/start", p.token,
                    "{\"session\":\"" + p.session + "\",\"queue\":\"" + queue + "\"}").status()).isEqualTo(200);
            p.lastDeadline = renew(p.token, p.session, 0);
            p.granted.add(p.lastDeadline);
            players.add(p);
        }

        AtomicBoolean keepPlaying = new AtomicBoolean(true);
        List<String> unexpected = new CopyOnWriteArrayList<>();
        Thread playing = new Thread(() -> renewEverySecond(players, keepPlaying, unexpected), "players");
        playing.start();
        Thread.sleep(5_000);
        platform.killAndRestart("command-service");
        // The dead instance's partitions are reassigned once its Kafka session times out (10 s).
        Thread.sleep(25_000);
        keepPlaying.set(false);
        playing.join();
        assertThat(unexpected).as("renews only fail with 503 while the ledger is down").isEmpty();

        for (Player p : players) {
            List<JsonNode> events = events(p.user);
            Set<Long> storedDeadlines = new HashSet<>();
            long charged = 0;
            long maxBilled = 0;
            long lastBalance = -1;
            for (JsonNode e : events) {
                if (e.has("deadline") && p.session.equals(e.path("session").asText())) {
                    storedDeadlines.add(e.get("deadline").asLong());
                }
                if (e.has("secondsCharged")) {
                    charged += e.get("amount").asLong();
                    maxBilled = Math.max(maxBilled, e.get("billedSeconds").asLong());
                }
                if (e.has("balanceAfter")) {
                    lastBalance = e.get("balanceAfter").asLong();
                }
            }
            assertThat(storedDeadlines).as("every deadline a client received is in the event store (%s)", p.user)
                    .containsAll(p.granted);
            assertThat(charged).as("charges add up to the cost of the billed time, never twice (%s)", p.user)
                    .isEqualTo(maxBilled); // 60 per minute = 1 per second
            assertThat(lastBalance).isEqualTo(100_000 - charged);
            assertThat(maxBilled).as("%s was billed for the time played across the crash", p.user)
                    .isGreaterThanOrEqualTo(20);
        }
    }

    private static void renewEverySecond(List<Player> players, AtomicBoolean keepPlaying, List<String> unexpected) {
        while (keepPlaying.get()) {
            for (Player p : players) {
                var reply = send("POST", gateway + "/api/game/renew", p.token,
                        "{\"session\":\"" + p.session + "\",\"lastDeadline\":" + p.lastDeadline + "}");
                if (reply.status() == 200) {
                    p.lastDeadline = TestHttp.claims(reply.body().get("token").asText()).get("deadline").asLong();
                    p.granted.add(p.lastDeadline);
                } else if (reply.status() != 503) {
                    // 503 is expected while the ledger is down or restarting; the client retries later.
                    unexpected.add(p.user + ": " + reply.status() + " " + reply.body());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Player {
        final String user;
        final String session;
        final String token;
        final List<Long> granted = new ArrayList<>();
        volatile long lastDeadline;

        Player(String user, String session, String token) {
            this.user = user;
            this.session = session;
            this.token = token;
        }
    }




}
