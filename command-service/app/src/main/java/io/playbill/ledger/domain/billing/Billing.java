package io.playbill.ledger.domain.billing;

import io.playbill.ledger.api.events.BillingMode;

/**
 * One billing mode's rules (docs/spec/token-spec.md §5), as pure functions of a session's clock and meter, the
 * request's receive time, the price in force and the money available. No I/O, no clock, no Axon: the account
 * aggregate calls these and records the outcome as events.
 *
 * <p>{@code money} is always the balance minus what granted but unbilled playtime of the user's active sessions
 * will cost (see {@link Meter#unbilledCost}), so a grant never promises the same money twice and a charge for
 * granted playtime always finds it.
 */
public interface Billing {

    static Billing of(BillingMode mode) {
        return switch (mode) {
            case UNDER -> UnderBilling.INSTANCE;
            case OVER -> OverBilling.INSTANCE;
            case NONE -> throw new IllegalArgumentException("Billing mode none bills no session");
        };
    }

    Rounding rounding();

    /** Whether {@code money} pays for one billing cycle at {@code pricePerMinute}: required to authorize and start. */
    default boolean paysForOneCycle(long pricePerMinute, long money, long cycleSeconds) {
        return rounding().cost(pricePerMinute, cycleSeconds) <= money;
    }

    /** What the startToken grants and charges. */
    Billed start(long pricePerMinute, long money);

    /** The renewToken heartbeat at {@code nowMillis}. */
    Renewal renew(SessionClock clock, Meter meter, long nowMillis, long pricePerMinute, long money);

    /** The user stopped the game at {@code nowMillis}: the final charges. */
    Billed stop(SessionClock clock, Meter meter, long nowMillis);
}
