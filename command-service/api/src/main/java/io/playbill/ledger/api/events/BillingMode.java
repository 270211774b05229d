package io.playbill.ledger.api.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a session's playtime is billed (shared/spec/token-spec.md §5). Fixed for a session when it starts. */
public enum BillingMode {
    /** Charged after it was played; the user is never charged more than they played. */
    @JsonProperty("under")
    UNDER,
    /** Charged before it is played; the user is never charged less than they played. */
    @JsonProperty("over")
    OVER,
}
