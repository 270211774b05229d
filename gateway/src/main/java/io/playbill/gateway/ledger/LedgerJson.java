package io.playbill.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;

/**
 * The JSON of Kafka record values, kept apart from the HTTP JSON settings: the ledger may add reply fields, which
 * are ignored, and nothing here depends on Spring's ObjectMapper configuration.
 */
final class LedgerJson {

    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    String write(LedgerRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a ledger request", e);
        }
    }

    LedgerReply readReply(String value) {
        if (value == null) {
            throw LedgerRefusals.unusableReply("it is empty");
        }
        try {
            return json.readValue(value, LedgerReply.class);
        } catch (JsonProcessingException e) {
            throw LedgerRefusals.unusableReply("not a LedgerReply (" + e.getOriginalMessage() + ")");
        }
    }
}
