package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.messages.CleanText;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.UserIds;

import java.util.Optional;

/**
 * Who asks and when, carried alongside every command: the account's user, the gateway's receive time (every rule
 * uses it, never the ledger's clock, so replaying the log gives identical results) and the authenticated caller.
 *
 * @param actor {@code null} when the gateway named none (money and price commands are then refused)
 */
public record Request(String userId, long receivedAtMillis, Actor actor) {

    /** Why the user or the actor cannot be an account id or a recorded actor; empty when they can. */
    public Optional<Decision.Refused> refusal() {
        if (UserIds.isReserved(userId)) {
            // The price list's events live in the stream of that id: an account there would mix a wallet into it.
            return Optional.of(new Decision.Refused(LedgerError.INVALID_REQUEST,
                    "'" + PriceSet.STREAM + "' names the ledger's price list and cannot be a user id"));
        }
        if (!isUserId(userId)) {
            return Optional.of(new Decision.Refused(LedgerError.INVALID_REQUEST,
                    "A user id is 1-64 bytes of text without control characters"));
        }
        if (actor != null && (!isUserId(actor.userId()) || !actor.roles().stream().allMatch(CleanText::isClean))) {
            return Optional.of(new Decision.Refused(LedgerError.INVALID_REQUEST,
                    "The actor's user id and roles must be text without control characters"));
        }
        return Optional.empty();
    }

    private static boolean isUserId(String id) {
        return UserIds.isAcceptable(id);
    }
}
