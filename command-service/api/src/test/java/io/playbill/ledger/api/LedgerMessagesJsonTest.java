package io.playbill.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerMessagesJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void requestsRoundTripWithTheOperationKindInTheJson() throws Exception {
        var request = new LedgerRequest("r-1", "alice", 1_616_591_965_000L,
                new LedgerOperation.Deposit(1000, "pay-42"));

        String text = json.writeValueAsString(request);

        assertThat(text).contains("\"op\":\"deposit\"");
        assertThat(json.readValue(text, LedgerRequest.class)).isEqualTo(request);
    }

    @Test
    void aSessionRenewedStoredBeforeBalanceLimitedExistedReadsAsNotLimited() throws Exception {
        String stored = "{\"userId\":\"u\",\"session\":\"s\",\"queue\":\"standard\",\"receivedAtMillis\":1000,"
                + "\"lastDeadline\":0,\"firstRenewAtMillis\":1000,\"pricePerMinute\":60,\"billedSeconds\":0,"
                + "\"grantedSeconds\":60,\"deadline\":60,\"balanceAfter\":100,\"expiresAtMillis\":91000}";

        SessionRenewed renewed = json.readValue(stored, SessionRenewed.class);

        assertThat(renewed.balanceLimited()).isFalse();
        assertThat(renewed.deadline()).isEqualTo(60);
        assertThat(json.readValue(json.writeValueAsString(new SessionRenewed("u", "s", "standard", 1000, 0, 1000, 60,
                0, 30, 30, 30, 31_000, true)), SessionRenewed.class).balanceLimited()).isTrue();
    }
}
