package io.playbill.query.web;

import io.playbill.ledger.api.messages.CleanText;
import io.playbill.service.web.ApiException;

/**
 * Text in query parameters that is compared with stored text, such as a queue: free of control characters and
 * unpaired surrogates (the ledger's {@link CleanText} rule, so nothing stored can match anything else), or refused.
 * PostgreSQL's {@code text} cannot even hold a NUL: sent on, it failed the query with a 500.
 */
public final class Texts {

    private Texts() {
    }

    /** {@code value} (null when absent); with a control character or a lone surrogate, a 400 {@code invalid_<name>}. */
    public static String clean(String name, String value) {
        if (value != null && !CleanText.isClean(value)) {
            throw ApiException.invalidField(name, name + " must not hold control characters or unpaired"
                    + " surrogates");
        }
        return value;
    }

    /**
     * As {@link #clean}, but empty or blank is absent (null): no stored value is blank, so filtering on it found
     * nothing where the caller meant no filter.
     */
    public static String optional(String name, String value) {
        String clean = clean(name, value);
        return clean == null || clean.isBlank() ? null : clean;
    }
}
