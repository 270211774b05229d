package io.playbill.ledger.domain;

import io.playbill.ledger.api.events.BillingMode;

import java.util.Optional;

/**
 * The configured rules for new sessions, injected into the account's command handlers. A running session keeps
 * the billing mode and cycle it started with.
 *
 * @param billing                    {@code playbill.billing.mode}
 * @param cycleSeconds               {@code playbill.billing.cycle}, the billing cycle C
 * @param maxActiveSessions          {@code playbill.ledger.max-active-sessions}
 * @param authorizationTimeoutMillis {@code playbill.ledger.authorization-timeout}: how long an authorized session
 *                                   may wait (queueing) for its start before it times out
 */
public record SessionRules(BillingMode billing, long cycleSeconds, int maxActiveSessions,
                           long authorizationTimeoutMillis) {

    public SessionRules {
        if (cycleSeconds < 1) {
            throw new IllegalArgumentException("The billing cycle must be at least 1 s, not " + cycleSeconds);
        }
        if (maxActiveSessions < 1) {
            throw new IllegalArgumentException("max-active-sessions must be at least 1, not " + maxActiveSessions);
        }
        if (authorizationTimeoutMillis < 1) {
            throw new IllegalArgumentException("authorization-timeout must be positive");
        }
    }

    /** The mode new sessions are billed in; empty when billing is off. */
    Optional<BillingMode> newSessionsBilling() {
        return billing.usesLedger() ? Optional.of(billing) : Optional.empty();
    }
}
