package io.playbill.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
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
}
