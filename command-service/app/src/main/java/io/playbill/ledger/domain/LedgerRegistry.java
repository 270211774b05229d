package io.playbill.ledger.domain;

import java.util.Optional;

/**
 * The ledger's facts that span accounts, which no single account can check on its own: a session id belongs to one
 * user for good (token-spec §2 binds it at authToken; the SDK's tokens carry no user, so a second owner could use
 * them), and a money reference names one movement across all accounts (one payment-provider reference must not
 * credit two users). Accounts ask it while deciding; the ledger keeps it in step with the
 * events inside the transaction that stores them.
 */
public interface LedgerRegistry {

    /** The user the session id was authorized for, if any user ever was. */
    Optional<String> sessionOwner(String session);

    /** The money movement recorded under {@code reference} in any account. */
    Optional<RecordedMovement> movement(String reference);
}
