package io.playbill.query.audit.rules;

/**
 * One problem the audit found.
 *
 * @param kind       what, e.g. {@code balance_mismatch}, {@code missing_from_store} (see docs/operations.md)
 * @param category   {@value #MISMATCH} (a recorded or projected value differs from the recomputed one) or
 *                   {@value #INVARIANT} (a rule that must always hold is broken)
 * @param user       the account (aggregate) concerned, if any
 * @param projection the projection concerned, if any
 * @param sequence   the first differing event's sequence number in its account, if any
 * @param eventId    that event's id, if known
 * @param eventType  that event's type (simple name), if known
 */
public record Finding(String kind, String category, String user, String projection, Long sequence, String eventId,
                      String eventType, String message) {

    public static final String MISMATCH = "mismatch";
    public static final String INVARIANT = "invariant";
}
