package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.domain.billing.Billing;

/**
 * The admission rules for sessions and cloud games, one named policy each. A policy returns what it checked (the
 * billing mode, the price) or refuses the command.
 */
final class SessionAdmission {

    private SessionAdmission() {
    }

    /** Billing must be on: with {@code playbill.billing.mode=none} the ledger starts no sessions. */
    static BillingMode billingIsOn(SessionRules rules) {
        return rules.newSessionsBilling().orElseThrow(() -> new Refusal(LedgerError.INVALID_REQUEST,
                "Billing is off (playbill.billing.mode=none): the ledger starts no sessions"));
    }

    /** The queue must have a price in force at {@code atMillis}: the ledger cannot bill it otherwise. */
    static long queueIsPriced(PriceBook prices, String queue, long atMillis) {
        return prices.pricePerMinute(queue, atMillis).orElseThrow(() -> new Refusal(
                LedgerError.UNKNOWN_QUEUE, "Queue " + queue + " has no price"));
    }

    /** A user has at most {@code max-active-sessions} sessions authorized, started or billing at once. */
    static void belowActiveSessionLimit(SessionBook sessions, SessionRules rules) {
        if (sessions.activeCount() >= rules.maxActiveSessions()) {
            throw new Refusal(LedgerError.TOO_MANY_SESSIONS,
                    "The user already has " + sessions.activeCount() + " active session(s)");
        }
    }

    /** The money for new playtime must pay one billing cycle at the price: to authorize, start or admit. */
    static void paysOneCycle(Billing billing, long pricePerMinute, Money money, long cycleSeconds) {
        if (!billing.paysForOneCycle(pricePerMinute, money.minorUnits(), cycleSeconds)) {
            throw new Refusal(LedgerError.INSUFFICIENT_BALANCE, "The balance cannot pay for "
                    + cycleSeconds + " s at " + pricePerMinute + " per minute");
        }
    }

    /**
     * A session id belongs to one user for good: one another user claimed is never this user's, and one this user
     * had (ended, and forgotten by the account) is not authorized again.
     */
    static void sessionIdIsUnclaimed(LedgerRegistry registry, String sessionId, String userId) {
        registry.sessionOwner(sessionId).ifPresent(owner -> {
            if (!owner.equals(userId)) {
                throw new Refusal(LedgerError.SESSION_OF_ANOTHER_USER,
                        "Session " + sessionId + " belongs to another user");
            }
            throw SessionBook.notFound(sessionId, "has ended");
        });
    }

    /**
     * A start or renew received once the session's expiry time has passed is refused as the expiry scan would have
     * left it, ended, whether or not the scan has run: the SDK had given up on it by then.
     */
    static void notPastItsExpiry(Session session, long atMillis) {
        if (session.expiresAtMillis() <= atMillis) {
            throw SessionBook.notFound(session.id(), "has expired");
        }
    }

    /** A billing session holds its granted playtime until a balance-limited one has played all it paid for. */
    static void paidPlaytimeLeft(Session session, long atMillis) {
        if (session.balanceLimited() && session.expiresAtMillis() <= atMillis) {
            throw new Refusal(LedgerError.INSUFFICIENT_BALANCE,
                    "Session " + session.id() + " has played all the balance paid for");
        }
    }
}
