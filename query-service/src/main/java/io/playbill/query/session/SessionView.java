package io.playbill.query.session;

import io.playbill.query.readmodel.SessionRow;

import java.time.Instant;

/**
 * A game session as the ledger decided it.
 *
 * @param status          {@value #AUTHORIZED}, {@value #STARTED}, {@value #BILLING} (renewing) or {@value #ENDED}
 * @param billingMode     {@code under} or {@code over}; null until started
 * @param endReason       {@code stopped}, {@code balance_exhausted} or {@code timed_out}; null until ended
 * @param billedSeconds   playtime billed so far (final once ended)
 * @param chargedAmount   what the session cost so far, minor units
 * @param deadlineSeconds the last deadline given, seconds from the first renew
 * @param pricePerMinute  the queue's price at the session's latest grant
 */
public record SessionView(String userId, String sessionId, String queue, String status, String billingMode,
                          Instant authorizedAt, Instant startedAt, Instant firstRenewAt, Instant endedAt,
                          String endReason, long billedSeconds, long chargedAmount, long deadlineSeconds,
                          long pricePerMinute) {

    public static final String AUTHORIZED = SessionRow.AUTHORIZED;
    public static final String STARTED = SessionRow.STARTED;
    public static final String BILLING = SessionRow.BILLING;
    public static final String ENDED = SessionRow.ENDED;
}
