package io.playbill.ledger.api.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * How playtime is billed (docs/spec/token-spec.md §5): the value of {@code playbill.billing.mode}, which the
 * gateway and the ledger read alike, and the mode a session records when it starts (then fixed for that session).
 */
public enum BillingMode {
    /**
     * No billing: the gateway extends renew tokens by one cycle by itself and never asks the ledger about sessions.
     * A setting only; no session is ever started in it.
     */
    @JsonProperty("none")
    NONE,
    /** Charged after it was played; the user is never charged more than they played (the default). */
    @JsonProperty("under")
    UNDER,
    /** Charged before it is played; the user is never charged less than they played. */
    @JsonProperty("over")
    OVER;

    /**
     * Whether session calls go to the ledger. Under- and over-billing differ only inside the ledger; the gateway
     * forwards the calls the same way.
     */
    public boolean usesLedger() {
        return this != NONE;
    }

    /** {@code none}, {@code under} or {@code over} in any case, e.g. from a command line; anything else is refused. */
    public static BillingMode parse(String text) {
        for (BillingMode mode : values()) {
            if (mode.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("The billing mode is none, under or over, not '" + text + "'");
    }
}
