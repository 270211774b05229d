package io.playbill.gateway.admin;

/** Input rules of the admin money and price operations. Amounts are integers in minor units. */
final class AdminInput {

    /** The largest amount or price accepted: 10^12 minor units. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

    /** An idempotency reference: the same reference twice is applied once. */
    static final String REFERENCE_PATTERN = "[A-Za-z0-9._:-]{1,64}";
    static final String REFERENCE_RULE = "must be 1-64 letters, digits, '.', '_', ':' or '-'";

    static final int MAX_REASON_LENGTH = 200;

    private AdminInput() {
    }
}
