package io.playbill.gateway.cloud;

import io.playbill.gateway.support.CloudGatewayTest;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.LedgerResponder;
import io.playbill.gateway.support.LedgerResponder.Received;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A player pays their session's queue, and gets what that queue offers: its games, on its worker groups, started as
 * the operator set them up. Attacks through the real endpoints, the real Tencent SDK and the emulator: a session on
 * the cheap queue that names the premium group or game, or start parameters of its own, starts nothing and changes
 * nothing. The stand-in ledger admits every session on queue {@code standard}.
 */
@TestPropertySource(properties = {
        "playbill.game.queues=standard,premium",
        "playbill.cloud.catalogue.standard.games=g1",
        "playbill.cloud.catalogue.standard.groups=gp-std",
        "playbill.cloud.catalogue.premium.games=g1,g-racing",
        "playbill.cloud.catalogue.premium.groups=gp-premium",
        "playbill.cloud.catalogue.premium.game-paras=true"})
// Closed after the class: a context of its own stays cached otherwise, and its queue worker and stopper would go on
// serving the database and emulator every cloud test shares (a queue place served while a later test held its own
// worker stopped).
@DirtiesContext
class CloudCatalogueIntegrationTest extends CloudGatewayTest {

    private final String mallory = UserTokens.of("mallory");

    @Test
    void aSessionOnTheCheapQueueStartsItsGameOnItsOwnGroup() throws Exception {
        HttpResult started = startWithSession("{\"gameId\":\"g1\"}");

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.AdmitCloudGame("sdkSession1"));
        assertThat(gsState().sessions()).singleElement().satisfies(session -> {
            assertThat(session.userId()).isEqualTo("mallory");
            assertThat(session.requestedGroup()).as("the queue's group, though the start named none")
                    .isEqualTo("gp-std");
        });
    }

    @Test
    void theCheapQueueCannotBuyThePremiumGroupOrGameOrSetStartParameters() throws Exception {
        assertRefused(startWithSession("{\"gameId\":\"g1\",\"groupId\":\"gp-premium\"}"), "group_not_offered");
        assertRefused(startWithSession("{\"gameId\":\"g-racing\"}"), "game_not_offered");
        assertRefused(startWithSession("{\"gameId\":\"g1\",\"gameParas\":\"-unlock-all\"}"),
                "game_paras_not_allowed");

        for (int i = 0; i < 3; i++) {
            Received admission = ledger.nextRequest();
            assertThat(admission.request().operation()).isEqualTo(new LedgerOperation.AdmitCloudGame("sdkSession1"));
        }
        assertThat(ledger.drain()).as("only the admissions, which change nothing").isEmpty();
        assertNothingChanged();
    }

    @Test
    void aGatewayOpenedSessionIsRefusedBeforeTheLedgerIsAsked() {
        HttpResult refused = http.post("/api/cloud/start", mallory,
                "{\"clientSession\":\"cs\",\"gameId\":\"g-racing\",\"queue\":\"standard\"}");

        assertRefused(refused, "game_not_offered");
        assertThat(ledger.drain()).as("no session opened").isEmpty();
        assertNothingChanged();
    }

    @Test
    void theDemoPathStartsOnlyWhatTheDefaultQueueOffers() {
        HttpResult refused = http.post("/StartCloudGame", mallory, "{\"GameId\":\"g-racing\",\"ClientSession\":\"cs\"}");

        assertThat(refused.json().get("code").asInt()).as(refused.toString()).isNotZero();
        assertThat(ledger.drain()).as("no session opened").isEmpty();
        assertNothingChanged();
    }

    /**
     * A place queued on the premium queue is served on the premium group: the queue locks a premium worker for it.
     * Once that place's session has ended (it timed out while the player waited), a start on the cheap queue was
     * given the premium worker at the cheap price. It is refused now, before a session is opened; the place stays,
     * and a start on the premium queue plays it.
     */
    @Test
    void aPlaceQueuedOnThePremiumQueueIsNotPlayedAtTheCheapQueuesPrice() throws Exception {
        String bob = UserTokens.of("bob");
        AtomicBoolean premiumSessionEnded = new AtomicBoolean();
        ledger.answer(request -> request.operation() instanceof LedgerOperation.AdmitCloudGame
                && premiumSessionEnded.get()
                ? LedgerReply.refused(request.requestId(), LedgerError.SESSION_NOT_FOUND, "Session has expired")
                : LedgerResponder.generous(request));
        assertThat(start(bob, "g1", "cs").status()).isEqualTo(200);
        assertThat(startOn("premium").status()).as("queued behind bob").isEqualTo(202);
        http.post("/api/cloud/stop", bob);
        awaitReady(mallory);
        assertThat(gsState().locks()).singleElement().satisfies(lock ->
                assertThat(lock.requestedGroup()).isEqualTo("gp-premium"));
        premiumSessionEnded.set(true);
        ledger.drain();

        HttpResult cheap = startOn("standard");

        assertThat(cheap.status()).as(cheap.toString()).isEqualTo(409);
        assertThat(cheap.errorCode()).isEqualTo("already_queued");
        assertThat(playing()).isEmpty();
        assertThat(ledger.drain()).extracting(received -> received.request().operation())
                .as("no session opened on the cheap queue")
                .noneMatch(LedgerOperation.AuthorizeSession.class::isInstance);
        assertThat(poll(mallory).get("status").asText()).isEqualTo("ready");

        HttpResult premium = startOn("premium");

        assertThat(premium.status()).as(premium.toString()).isEqualTo(200);
        assertThat(playing()).containsExactly("mallory");
    }

    private HttpResult startOn(String queue) {
        return http.post("/api/cloud/start", mallory,
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\",\"queue\":\"" + queue + "\"}");
    }

    private HttpResult startWithSession(String game) {
        return http.post("/api/cloud/start", mallory, "{\"clientSession\":\"cs\",\"session\":\"sdkSession1\","
                + game.substring(1));
    }

    private void assertNothingChanged() {
        assertThat(TestGs.calls("TrylockWorker", "mallory")).as("GS not asked").isEmpty();
        assertThat(gsState().locks()).isEmpty();
        assertThat(gsState().sessions()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cloud_session WHERE user_id = 'mallory'",
                Integer.class)).as("no game bound").isZero();
    }

    private static void assertRefused(HttpResult result, String code) {
        assertThat(result.status()).as(result.toString()).isEqualTo(403);
        assertThat(result.errorCode()).isEqualTo(code);
    }
}
