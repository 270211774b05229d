package io.playbill.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerMessagesJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void requestsRoundTripWithTheOperationKindInTheJson() throws Exception {
        var request = new LedgerRequest("r-1", "alice", 1_616_591_965_000L,
                new LedgerOperation.Deposit(1000, "pay-42"), new Actor("fiona", List.of("finance")));

        String text = json.writeValueAsString(request);

        assertThat(text).contains("\"op\":\"deposit\"").contains("\"actor\":{\"userId\":\"fiona\"");
        assertThat(json.readValue(text, LedgerRequest.class)).isEqualTo(request);
    }

    @Test
    void moneyEventsStoredBeforeActorsWereRecordedReadWithoutOne() throws Exception {
        String stored = "{\"userId\":\"u\",\"reference\":\"pay-1\",\"amount\":100,\"balanceAfter\":100,"
                + "\"receivedAtMillis\":1000}";

        FundsDeposited deposited = json.readValue(stored, FundsDeposited.class);

        assertThat(deposited.actor()).isNull();
        assertThat(deposited.amount()).isEqualTo(Money.of(100));
        assertThat(json.readValue("{\"queue\":\"standard\",\"pricePerMinute\":60,\"effectiveFromMillis\":1,"
                + "\"setBy\":\"root\"}", PriceSet.class).actor()).isNull();
    }

    @Test
    void aReplyStoredBeforeItCarriedTheQueueReadsWithoutOne() throws Exception {
        LedgerReply reply = json.readValue("{\"requestId\":\"r\",\"accepted\":true,\"balance\":5,\"deadline\":60}",
                LedgerReply.class);

        assertThat(reply.queue()).isNull();
        assertThat(reply.deadline()).isEqualTo(60);
    }

    @Test
    void aSessionRenewedStoredBeforeBalanceLimitedExistedReadsAsNotLimited() throws Exception {
        String stored = "{\"userId\":\"u\",\"session\":\"s\",\"queue\":\"standard\",\"receivedAtMillis\":1000,"
                + "\"lastDeadline\":0,\"firstRenewAtMillis\":1000,\"pricePerMinute\":60,\"billedSeconds\":0,"
                + "\"grantedSeconds\":60,\"deadline\":60,\"balanceAfter\":100,\"expiresAtMillis\":91000}";

        SessionRenewed renewed = json.readValue(stored, SessionRenewed.class);

        assertThat(renewed.balanceLimited()).isFalse();
        assertThat(renewed.deadline()).isEqualTo(Seconds.of(60));
        assertThat(json.readValue(json.writeValueAsString(new SessionRenewed("u", "s", "standard", 1000,
                Seconds.ZERO, 1000, 60, Seconds.ZERO, Seconds.of(30), Seconds.of(30), Money.of(30), 31_000, true)), SessionRenewed.class).balanceLimited()).isTrue();
    }
}
