package io.playbill.query.statement;

import io.playbill.query.readmodel.StatementLine;

import java.time.Instant;

/**
 * One money movement on a user's account.
 *
 * @param sequence     the event's position in the account's history
 * @param kind         {@value #DEPOSIT}, {@value #CHARGE}, {@value #REFUND} or {@value #ADJUSTMENT}
 * @param amount       the effect on the balance, minor units: positive credits, negative debits
 * @param balanceAfter the running balance after this line
 * @param reference    the idempotency reference of a deposit, refund or adjustment
 * @param reason       the operator's reason of a refund or adjustment
 * @param session      the session of a charge
 * @param queue        the queue of a charge
 * @param seconds      the playtime a charge billed
 */
public record StatementLineView(long sequence, Instant occurredAt, String kind, long amount, long balanceAfter,
                                String reference, String reason, String session, String queue, Long seconds,
                                String eventId) {

    public static final String DEPOSIT = StatementLine.DEPOSIT;
    public static final String CHARGE = StatementLine.CHARGE;
    public static final String REFUND = StatementLine.REFUND;
    public static final String ADJUSTMENT = StatementLine.ADJUSTMENT;
}
