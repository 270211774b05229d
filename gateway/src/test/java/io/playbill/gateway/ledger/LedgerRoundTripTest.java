package io.playbill.gateway.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.IndependentJwt;
import io.playbill.gateway.support.LedgerResponder.Received;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing mode under against the real broker: every SDK and admin call becomes a ledger request, and the answer
 * is built from the ledger's reply only.
 */
class LedgerRoundTripTest extends UnderModeGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void authTokenBindsTheSessionInTheLedgerFirst() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null, null, "premium"));
        long before = System.currentTimeMillis();

        HttpResult result = http.get("/api/game/authToken?session=foobar&queue=premium", alice);

        long after = System.currentTimeMillis();
        JsonNode token = payload(result);
        assertThat(token.get("type").asText()).isEqualTo("auth");
        assertThat(token.get("user").asText()).isEqualTo("alice");
        assertThat(token.get("queue").asText()).isEqualTo("premium");
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("alice");
        assertThat(received.request().userId()).isEqualTo("alice");
        // The instance's random prefix and a counter (RequestIds).
        assertThat(received.request().requestId()).matches("[0-9a-f]{16}-[0-9a-f]+");
        assertThat(received.request().receivedAtMillis()).isBetween(before, after);
        assertThat(received.request().operation())
                .isEqualTo(new LedgerOperation.AuthorizeSession("foobar", "premium"));
        assertThat(received.request().actor()).isEqualTo(Actor.player("alice"));
    }

    @Test
    void startTokenSignsTheQueueTheLedgerAuthorizedNotTheDefault() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null, null, "premium"));

        JsonNode token = payload(http.post("/api/game/start", alice, "{\"session\":\"foobar\"}"));

        assertThat(token.get("type").asText()).isEqualTo("start");
        assertThat(token.get("queue").asText()).isEqualTo("premium");
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.StartSession("foobar", null));
    }

    @Test
    void aStartNamingAnotherQueueThanTheSessionsIsRefusedAndNoTokenIsSigned() throws Exception {
        ledger.answer(request -> LedgerReply.refused(request.requestId(), LedgerError.QUEUE_MISMATCH,
                "Session foobar is authorized on queue standard, not premium"));

        HttpResult result = http.post("/api/game/start", alice, "{\"session\":\"foobar\",\"queue\":\"premium\"}");

        assertThat(result.status()).isEqualTo(409);
        assertThat(result.errorCode()).isEqualTo("queue_mismatch");
        assertThat(result.json().has("token")).isFalse();
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.StartSession("foobar", "premium"));
    }

    @Test
    void aSessionAcceptedWithoutItsQueueIsABadGatewayNotAnInventedQueue() {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null, null, null));

        HttpResult result = http.post("/api/game/start", alice, "{\"session\":\"foobar\"}");

        assertThat(result.status()).isEqualTo(502);
        assertThat(result.errorCode()).isEqualTo("ledger_error");
    }

    /**
     * A ledger newer than this gateway (an upgrade, ledger first) refuses for a reason the gateway does not know. It
     * was a 502, "outcome unknown", which invites a retry that may then be accepted.
     */
    @Test
    void aRefusalForAReasonThisGatewayDoesNotKnowIsAnsweredAsARefusal() {
        ledger.answerJson(request -> "{\"requestId\":\"" + request.requestId() + "\",\"accepted\":false,"
                + "\"errorCode\":\"A_REASON_FROM_A_NEWER_LEDGER\",\"message\":\"Not now\"}");

        HttpResult result = http.post("/api/game/renew", alice, "{\"session\":\"foobar\",\"lastDeadline\":0}");

        assertThat(result.status()).isEqualTo(409);
        assertThat(result.errorCode()).isEqualTo("ledger_refused");
        assertThat(result.json().at("/error/message").asText()).contains("Not now");
        assertThat(result.json().has("token")).isFalse();
    }

    @Test
    void renewTokenCarriesTheLedgersDeadline() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 4_000L, 97L, "standard"));

        JsonNode token = payload(http.post("/api/game/renew", alice, "{\"session\":\"foobar\",\"lastDeadline\":60}"));

        assertThat(token.get("deadline").asLong()).isEqualTo(97);
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.RenewSession("foobar", 60));
    }

    @Test
    void aRenewAcceptedWithoutADeadlineIsABadGatewayNotAnInventedDeadline() {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 4_000L, null, "standard"));

        HttpResult result = http.post("/api/game/renew", alice, "{\"session\":\"foobar\",\"lastDeadline\":0}");

        assertThat(result.status()).isEqualTo(502);
        assertThat(result.errorCode()).isEqualTo("ledger_error");
    }

    @Test
    void stopClosesTheSessionInTheLedger() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 3_950L, null, "standard"));

        HttpResult result = http.post("/api/game/stop", alice, "{\"session\":\"foobar\"}");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.json().get("stopped").asBoolean()).isTrue();
        assertThat(ledger.nextRequest().request().operation()).isEqualTo(new LedgerOperation.StopSession("foobar"));
    }

    @ParameterizedTest
    @CsvSource({
            "INVALID_REQUEST, 400, invalid_request",
            "UNKNOWN_QUEUE, 400, unknown_queue",
            "SESSION_NOT_FOUND, 403, session_not_found",
            "INSUFFICIENT_BALANCE, 402, insufficient_balance",
            "TOO_MANY_SESSIONS, 409, too_many_sessions",
            "REFERENCE_CONFLICT, 409, reference_conflict",
            "BALANCE_WOULD_BE_NEGATIVE, 409, balance_would_be_negative",
            "SESSION_OF_ANOTHER_USER, 409, session_of_another_user",
            "QUEUE_MISMATCH, 409, queue_mismatch",
            "OWN_ACCOUNT, 403, own_account"})
    void everyRefusalHasItsStatus(LedgerError reason, int status, String code) {
        ledger.answer(request -> LedgerReply.refused(request.requestId(), reason, "refused by the test ledger"));

        HttpResult result = http.post("/api/game/renew", alice, "{\"session\":\"foobar\",\"lastDeadline\":0}");

        assertThat(result.status()).isEqualTo(status);
        assertThat(result.errorCode()).isEqualTo(code);
        assertThat(result.json().at("/error/message").asText()).isEqualTo("refused by the test ledger");
    }

    @Test
    void aSilentLedgerIsUnavailableWithRetryAfter() {
        long started = System.nanoTime();

        HttpResult result = http.post("/api/game/renew", alice, "{\"session\":\"foobar\",\"lastDeadline\":0}");

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.errorCode()).isEqualTo("ledger_unavailable");
        assertThat(result.header("Retry-After")).isEqualTo("7");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    /** Every user who can sign in can be funded: an identity provider's subject such as Auth0's "auth0|…". */
    @Test
    void aDepositReachesAUserWhoseIdIsAnyTokenSubject() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 1_000L, null, null));

        HttpResult result = http.post("/api/admin/accounts/auth0%7C65f1c2%20%C3%A4/deposits",
                UserTokens.of("root", "admin"), "{\"amount\":1000,\"reference\":\"pay-43\"}");

        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("auth0|65f1c2 \u00e4");
        assertThat(received.request().userId()).isEqualTo("auth0|65f1c2 \u00e4");
    }

    @Test
    void aDepositIsForwardedKeyedByTheTargetUserAndAnswersTheBalance() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 1_500L, null, null));

        HttpResult result = http.post("/api/admin/accounts/bob.smith@example/deposits", UserTokens.of("root", "admin"),
                "{\"amount\":1000,\"reference\":\"pay-42\"}");

        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        assertThat(result.json().get("balance").asLong()).isEqualTo(1_500);
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("bob.smith@example");
        assertThat(received.request().userId()).isEqualTo("bob.smith@example");
        assertThat(received.request().operation()).isEqualTo(new LedgerOperation.Deposit(1000, "pay-42"));
        assertThat(received.request().actor()).as("the ledger records who moved the money")
                .isEqualTo(new Actor("root", List.of("admin")));
    }

    @Test
    void refundsAndNegativeAdjustmentsAreForwardedWithTheirReason() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 250L, null, null));
        String finance = UserTokens.of("fiona", "finance");

        HttpResult refund = http.post("/api/admin/accounts/bob/refunds", finance,
                "{\"amount\":500,\"reference\":\"refund-7\",\"reason\":\"game crashed\"}");
        HttpResult adjustment = http.post("/api/admin/accounts/bob/adjustments", finance,
                "{\"amount\":-250,\"reference\":\"fix:1\",\"reason\":\"double charge\"}");

        assertThat(refund.json().get("balance").asLong()).isEqualTo(250);
        assertThat(adjustment.json().get("balance").asLong()).isEqualTo(250);
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.Refund(500, "refund-7", "game crashed"));
        assertThat(ledger.nextRequest().request().operation())
                .isEqualTo(new LedgerOperation.Adjust(-250, "fix:1", "double charge"));
    }

    @Test
    void anOperatorEndsAPlayersSessionKeyedByThePlayer() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), 900L, null, "standard"));

        HttpResult ended = http.post("/api/admin/accounts/bob/sessions/foobar/stop", UserTokens.of("ops", "admin"));
        HttpResult byPlayer = http.post("/api/admin/accounts/bob/sessions/foobar/stop", alice);

        assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
        assertThat(ended.json().get("stopped").asBoolean()).isTrue();
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("bob");
        assertThat(received.request().operation()).isEqualTo(new LedgerOperation.StopSession("foobar"));
        assertThat(received.request().actor()).isEqualTo(new Actor("ops", List.of("admin")));
        assertThat(byPlayer.status()).isEqualTo(403);
    }

    @Test
    void aPriceIsSetKeyedByTheAdmin() throws Exception {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null, null, null));

        HttpResult result = http.put("/api/admin/prices/premium", UserTokens.of("root", "admin"),
                "{\"pricePerMinute\":60}");

        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        assertThat(result.json().get("queue").asText()).isEqualTo("premium");
        assertThat(result.json().get("pricePerMinute").asLong()).isEqualTo(60);
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("root");
        assertThat(received.request().operation()).isEqualTo(new LedgerOperation.SetPrice("premium", 60));
    }

    @Test
    void anOperatorRetriesOrSkipsAParkedLedgerItemThroughALedgerRequestKeyedByTheAdmin() throws Exception {
        String root = UserTokens.of("root", "admin");
        ledger.answer(request -> new LedgerReply(request.requestId(), true, null, "Decided: accepted", null, null,
                null));

        HttpResult retried = http.post("/api/admin/ledger/parked/intake/retry", root, "{\"item\":\"42\"}");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().get("outcome").asText()).isEqualTo("Decided: accepted");
        Received received = ledger.nextRequest();
        assertThat(received.key()).isEqualTo("root");
        assertThat(received.request().operation())
                .isEqualTo(new LedgerOperation.ResolveParked("intake", "42", "retry"));
        assertThat(received.request().actor()).isEqualTo(new Actor("root", List.of("admin")));

        ledger.answer(request -> LedgerReply.refused(request.requestId(), LedgerError.STILL_FAILING, "poison"));
        HttpResult again = http.post("/api/admin/ledger/parked/expiry/skip", root, "{\"item\":\"bob/s1\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("still_failing");
        ledger.answer(request -> LedgerReply.refused(request.requestId(), LedgerError.PARKED_ITEM_NOT_FOUND, "no"));
        HttpResult unknown = http.post("/api/admin/ledger/parked/publisher/retry", root, "{\"item\":\"bob\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("parked_item_not_found");
        ledger.drain();

        assertThat(http.post("/api/admin/ledger/parked/nobody/retry", root, "{\"item\":\"1\"}").errorCode())
                .isEqualTo("invalid_consumer");
        assertThat(http.post("/api/admin/ledger/parked/intake/retry", root, "{\"item\":\"a\\u0001b\"}").errorCode())
                .isEqualTo("invalid_item");
        for (String outsider : List.of(UserTokens.of("fiona", "finance"), UserTokens.of("bob"))) {
            assertThat(http.post("/api/admin/ledger/parked/intake/retry", outsider, "{\"item\":\"1\"}")
                    .errorCode()).isEqualTo("forbidden");
            assertThat(http.post("/api/admin/ledger/parked/expiry/skip", outsider, "{\"item\":\"bob/s1\"}")
                    .errorCode()).isEqualTo("forbidden");
        }
        assertThat(http.post("/api/admin/ledger/parked/intake/retry", root, "{}").status()).isEqualTo(400);
        assertThat(ledger.drain()).as("refused requests never reach the ledger").isEmpty();
    }

    private static JsonNode payload(HttpResult result) {
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        return IndependentJwt.verify(result.token(), DEV_TOKEN_SECRET).payload();
    }
}
