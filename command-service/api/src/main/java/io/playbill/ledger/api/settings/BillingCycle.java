package io.playbill.ledger.api.settings;

import java.time.Duration;

/**
 * The rule for {@code playbill.billing.cycle}, which the gateway (renew step in mode none) and the ledger (the
 * billing cycle C) both read: one rule and one message, so the two can never accept different values.
 */
public final class BillingCycle {

    /** The SDK asks for the next renew token this long before the deadline, so a cycle must be longer. */
    public static final Duration SDK_RENEW_MARGIN = Duration.ofSeconds(30);

    /** A whole number of seconds above {@link #SDK_RENEW_MARGIN}. */
    public static boolean isValid(Duration cycle) {
        return cycle != null && cycle.compareTo(SDK_RENEW_MARGIN) > 0 && cycle.toMillis() % 1000 == 0;
    }

    /** What is wrong with an invalid cycle, to follow the property's name. */
    public static String problem(Duration cycle) {
        return "must be a whole number of seconds above the SDK's " + SDK_RENEW_MARGIN.toSeconds()
                + " s renew margin (was " + (cycle == null ? "not set" : cycle.toMillis() + " ms") + ")";
    }

    private BillingCycle() {
    }
}
