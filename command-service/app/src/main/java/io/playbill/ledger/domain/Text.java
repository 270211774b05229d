package io.playbill.ledger.domain;

import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;

/** The rule for the free text a command carries (queue names, reasons): 1-255 characters, no control characters. */
final class Text {

    static final int MAX_LENGTH = 255;

    private Text() {
    }

    static String required(String value, String what) {
        if (value == null || value.isBlank() || value.length() > MAX_LENGTH || !CleanText.isClean(value)) {
            throw new Refusal(LedgerError.INVALID_REQUEST,
                    "A " + what + " of 1-255 characters without control characters is required");
        }
        return value;
    }
}
