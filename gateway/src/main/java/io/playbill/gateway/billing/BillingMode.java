package io.playbill.gateway.billing;

/** How playtime is billed (token-spec §5); {@code playbill.billing.mode}. */
public enum BillingMode {

    /** No billing: renew tokens extend the deadline by one cycle, statelessly, and no ledger is involved. */
    NONE(false),
    /** The ledger bills at most the time played (recommended). */
    UNDER(true),
    /** The ledger bills at least the time played. */
    OVER(true);

    private final boolean usesLedger;

    BillingMode(boolean usesLedger) {
        this.usesLedger = usesLedger;
    }

    /**
     * Whether session calls go to the ledger. Under- and over-billing differ only inside the ledger, which must be
     * configured with the same mode; the gateway forwards the calls the same way.
     */
    public boolean usesLedger() {
        return usesLedger;
    }
}
