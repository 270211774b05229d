package io.playbill.infra.loadgen.simulate;

import java.util.Locale;

/** The billing mode the platform is expected to run (token-spec §5); it decides the reconciliation bounds. */
public enum BillingExpectation {
    /** Never charged more than played; at most 30 s + one cycle less. */
    UNDER,
    /** Never charged less than played; at most 30 s + one cycle more. */
    OVER;

    public static BillingExpectation parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be under or over, not '" + text + "'");
        }
    }
}
