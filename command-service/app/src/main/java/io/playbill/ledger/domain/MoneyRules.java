package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.values.Money;

import java.util.Optional;

/** The rules every money movement (deposit, refund, adjustment) follows besides the wallet's limits. */
final class MoneyRules {

    private MoneyRules() {
    }

    static Money positive(long amount, String what) {
        if (amount <= 0) {
            throw new Refusal(LedgerError.INVALID_REQUEST, what + " must be positive");
        }
        return Money.of(amount);
    }

    /** Money moves only at someone's request, and never at the request of the account's own user. */
    static Actor askedBySomeoneElse(Request request) {
        Actor actor = request.actor();
        if (actor == null || !CleanText.isClean(actor.userId()) || actor.userId().isBlank()) {
            throw new Refusal(LedgerError.INVALID_REQUEST, "A money request must name who asks");
        }
        if (actor.userId().equals(request.userId())) {
            throw new Refusal(LedgerError.OWN_ACCOUNT, "Nobody moves money on their own account");
        }
        // The gateway sends only these; anything else on the topic is refused here too, not believed.
        if (!actor.hasRole(Actor.FINANCE) && !actor.hasRole(Actor.ADMIN)) {
            throw new Refusal(LedgerError.INVALID_REQUEST, "Money is moved only at the request of the role finance"
                    + " or admin");
        }
        return actor;
    }

    /**
     * The movement already recorded under {@code reference} in any account if it is this same request (a retry,
     * answered with the balance it left); a conflict otherwise (other content, or another account: one reference
     * names one movement).
     */
    static Optional<RecordedMovement> earlierMovement(LedgerRegistry registry, String user, Reference reference,
                                                      RecordedMovement.Kind kind, Money amount, String reason) {
        Optional<RecordedMovement> earlier = registry.movement(reference.value());
        if (earlier.isPresent() && !earlier.get().isRetryOf(user, kind, amount.minorUnits(), reason)) {
            throw new Refusal(LedgerError.REFERENCE_CONFLICT, "Reference " + reference + " was already used "
                    + (earlier.get().userId().equals(user) ? "for a " + earlier.get().describe() : "by another account"));
        }
        return earlier;
    }
}
