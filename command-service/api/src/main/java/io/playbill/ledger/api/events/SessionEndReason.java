package io.playbill.ledger.api.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a session ended. */
public enum SessionEndReason {
    /** The user (or the gateway on their behalf) stopped the game. */
    @JsonProperty("stopped")
    STOPPED,
    /** A renew showed that the balance cannot pay for any more playtime. */
    @JsonProperty("balance_exhausted")
    BALANCE_EXHAUSTED,
    /** No renew (or start) arrived in time: the SDK has stopped the game by itself. */
    @JsonProperty("timed_out")
    TIMED_OUT,
}
