package io.playbill.infra.standalone;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.player;
import static io.playbill.infra.standalone.EndToEndPlatform.price;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attacks of the trust-boundary review, each tried through the real path (gateway, Kafka, ledger, PostgreSQL,
 * query-service) and refused, with nothing changed.
 */
@ExtendWith(EndToEndPlatform.class)
class TrustBoundariesEndToEndTest {

    private static String gateway;

    @BeforeAll
    static void platform() throws Exception {
        gateway = EndToEndPlatform.gateway();
        price("standard", 60);
        price("premium", 120);
    }

    @Test
    void aSessionIdBelongsToOneUserForGood() throws Exception {
        String alice = fundedPlayer("alice");
        String mallory = fundedPlayer("mallory");
        String session = newSession();

        var mine = send("GET", gateway + "/api/game/authToken?session=" + session, player(alice), null);
        var hijack = send("GET", gateway + "/api/game/authToken?session=" + session, player(mallory), null);
        var startIt = send("POST", gateway + "/api/game/start", player(mallory), "{\"session\":\"" + session + "\"}");

        assertThat(mine.status()).isEqualTo(200);
        assertThat(hijack.status()).isEqualTo(409);
        assertThat(hijack.body().at("/error/code").asText()).isEqualTo("session_of_another_user");
        assertThat(startIt.status()).isEqualTo(403);
        assertThat(startIt.body().has("token")).as("no token that GS would accept for Alice's session").isFalse();
    }

    @Test
    void theStartTokenNamesTheQueueTheSessionWasAuthorizedOnNeverTheRequests() throws Exception {
        String alice = fundedPlayer("alice");
        String session = newSession();
        assertThat(send("GET", gateway + "/api/game/authToken?session=" + session + "&queue=standard", player(alice),
                null).status()).isEqualTo(200);

        var premium = send("POST", gateway + "/api/game/start", player(alice),
                "{\"session\":\"" + session + "\",\"queue\":\"premium\"}");
        var started = send("POST", gateway + "/api/game/start", player(alice), "{\"session\":\"" + session + "\"}");

        assertThat(premium.status()).isEqualTo(409);
        assertThat(premium.body().at("/error/code").asText()).isEqualTo("queue_mismatch");
        assertThat(TestHttp.claims(started.body().get("token").asText()).get("queue").asText()).isEqualTo("standard");
    }

    @Test
    void moneyNeedsSomeoneElseAndAReferenceNamesOneMovement() throws Exception {
        String fiona = "fiona-" + UUID.randomUUID().toString().substring(0, 8);
        String finance = DevCredentials.userToken(fiona, List.of("finance"), Duration.ofMinutes(30));
        String alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        String reference = "psp-" + UUID.randomUUID();

        var ownCredit = send("POST", gateway + "/api/admin/accounts/" + fiona + "/deposits", finance,
                "{\"amount\":1000,\"reference\":\"own-" + fiona + "\"}");
        var toAlice = send("POST", gateway + "/api/admin/accounts/" + alice + "/deposits", finance,
                "{\"amount\":1000,\"reference\":\"" + reference + "\"}");
        var toBob = send("POST", gateway + "/api/admin/accounts/" + bob + "/deposits", finance,
                "{\"amount\":1000,\"reference\":\"" + reference + "\"}");

        assertThat(ownCredit.status()).isEqualTo(403);
        assertThat(ownCredit.body().at("/error/code").asText()).isEqualTo("own_account");
        assertThat(toAlice.status()).isEqualTo(200);
        assertThat(toBob.status()).isEqualTo(409);
        assertThat(toBob.body().at("/error/code").asText()).isEqualTo("reference_conflict");
        assertThat(EndToEndPlatform.events(bob)).isEmpty();
        assertThat(EndToEndPlatform.events(alice)).filteredOn(e -> e.has("actor")).singleElement()
                .satisfies(e -> assertThat(e.at("/actor/userId").asText()).isEqualTo(fiona));
    }

    @Test
    void aHostileReasonIsRefusedAndTheReadModelsKeepMoving() throws Exception {
        String alice = fundedPlayer("alice");
        String bob = "bob-" + UUID.randomUUID().toString().substring(0, 8);

        var nul = send("POST", gateway + "/api/admin/accounts/" + alice + "/refunds", EndToEndPlatform.admin(),
                "{\"amount\":10,\"reference\":\"r-" + alice + "\",\"reason\":\"x\\u0000y\"}");
        var formula = send("POST", gateway + "/api/admin/accounts/" + alice + "/refunds", EndToEndPlatform.admin(),
                "{\"amount\":10,\"reference\":\"f-" + alice + "\",\"reason\":\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"}");
        deposit(bob, 777);

        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.body().at("/error/code").asText()).isEqualTo("invalid_reason");
        assertThat(formula.status()).as("a formula is text; only spreadsheets must not run it").isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", gateway + "/api/me/account", player(bob), null)
                .body().path("balance").asLong() == 777);
        String statement = gateway + "/api/finance/users/" + alice + "/statement";
        await().atMost(Duration.ofSeconds(20)).until(() -> TestHttp.text(statement, EndToEndPlatform.admin(),
                "text/csv").contains("HYPERLINK"));
        assertThat(TestHttp.text(statement, EndToEndPlatform.admin(), "text/csv")).startsWith("200\n")
                .contains("'=HYPERLINK").doesNotContain(",=HYPERLINK").doesNotContain("\"=HYPERLINK");
    }

    private static String fundedPlayer(String name) throws Exception {
        String user = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        deposit(user, 10_000);
        return user;
    }

    private static String newSession() {
        return "s" + UUID.randomUUID().toString().replace("-", "");
    }
}
