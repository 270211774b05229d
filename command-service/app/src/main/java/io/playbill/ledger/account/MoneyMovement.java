package io.playbill.ledger.account;

import java.util.Objects;

/**
 * A deposit, refund or adjustment as remembered under its idempotency reference: the same reference with the same
 * content is answered with the same balance, with other content it is a conflict.
 */
record MoneyMovement(Kind kind, long amount, String reason, long balanceAfter) {

    enum Kind { DEPOSIT, REFUND, ADJUSTMENT }

    boolean sameRequestAs(Kind otherKind, long otherAmount, String otherReason) {
        return kind == otherKind && amount == otherAmount && Objects.equals(reason, otherReason);
    }

    String describe() {
        return kind.name().toLowerCase() + " of " + amount + (reason == null ? "" : " (" + reason + ")");
    }
}
