package io.playbill.ledger.domain;

import io.playbill.ledger.api.messages.LedgerError;

import java.util.regex.Pattern;

/** A session id as the SDK makes them (docs/spec/token-spec.md §1): 1-64 letters or digits. */
public record SessionId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{1,64}");

    public SessionId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new Refusal(LedgerError.INVALID_REQUEST, "A session id is 1-64 letters or digits");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
