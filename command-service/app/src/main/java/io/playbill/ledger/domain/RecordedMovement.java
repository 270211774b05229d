package io.playbill.ledger.domain;

import java.util.Locale;
import java.util.Objects;

/**
 * A deposit, refund or adjustment as the registry remembers it under its reference: the same reference with the same
 * content in the same account is a retry (answered with the balance it left), anything else is a conflict.
 *
 * @param reason {@code null} for a deposit
 */
public record RecordedMovement(String userId, Kind kind, long amount, String reason, long balanceAfter) {

    public enum Kind { DEPOSIT, REFUND, ADJUSTMENT }

    /** Whether a request for {@code user} with this content is the same request again. */
    public boolean isRetryOf(String user, Kind otherKind, long otherAmount, String otherReason) {
        return userId.equals(user) && kind == otherKind && amount == otherAmount
                && Objects.equals(reason, otherReason);
    }

    /** For a refusal message, without naming the other account. */
    public String describe() {
        return kind.name().toLowerCase(Locale.ROOT) + " of " + amount;
    }
}
