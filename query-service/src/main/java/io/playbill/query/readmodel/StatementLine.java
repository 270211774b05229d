package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.projection.LedgerEvent;

/**
 * One money movement on a user's statement.
 *
 * @param kind          {@value #DEPOSIT}, {@value #CHARGE}, {@value #REFUND} or {@value #ADJUSTMENT}
 * @param occurredAt    the gateway's receive time of the request, epoch millis
 * @param amount        the effect on the balance, minor units: positive credits, negative debits
 * @param balanceAfter  the running balance the ledger recorded after it
 * @param balanceChange the difference to the previous line's balance
 * @param reference     the idempotency reference of a deposit, refund or adjustment
 * @param reason        the operator's reason of a refund or adjustment
 * @param session       the session of a charge
 * @param queue         the queue of a charge
 * @param seconds       the playtime a charge billed
 */
public record StatementLine(String eventId, String userId, long sequence, String kind, long occurredAt, long amount,
                            long balanceAfter, long balanceChange, String reference, String reason, String session,
                            String queue, Long seconds) {

    public static final String DEPOSIT = "deposit";
    public static final String CHARGE = "charge";
    public static final String REFUND = "refund";
    public static final String ADJUSTMENT = "adjustment";

    static StatementLine credit(LedgerEvent event, String kind, long atMillis, Money amount, Money balanceAfter,
                                String reference, String reason) {
        return new StatementLine(event.eventId(), event.aggregateId(), event.sequence(), kind, atMillis,
                amount.minorUnits(), balanceAfter.minorUnits(), 0, reference, reason, null, null, null);
    }

    static StatementLine debit(LedgerEvent event, String kind, long atMillis, Money amount, Money balanceAfter,
                               String reference, String reason) {
        return new StatementLine(event.eventId(), event.aggregateId(), event.sequence(), kind, atMillis,
                -amount.minorUnits(), balanceAfter.minorUnits(), 0, reference, reason, null, null, null);
    }

    static StatementLine charge(LedgerEvent event, PlaytimeCharged charge) {
        return new StatementLine(event.eventId(), event.aggregateId(), event.sequence(), CHARGE,
                charge.receivedAtMillis(), -charge.amount().minorUnits(), charge.balanceAfter().minorUnits(), 0, null,
                null, charge.session(), charge.queue(), charge.secondsCharged().value());
    }

    StatementLine withBalanceChange(long change) {
        return new StatementLine(eventId, userId, sequence, kind, occurredAt, amount, balanceAfter, change, reference,
                reason, session, queue, seconds);
    }
}
