package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One statement line per money event (deposit, charge, refund, adjustment) with the running balance the ledger
 * recorded, plus per-minute and per-day sums of the balance changes: Σ balance changes up to T = Σ of every
 * account's balance at T, the prepaid liability. A user's row keeps the running balance and the last event applied.
 */
public final class StatementModel extends UserReadModel<StatementModel.Position> {

    private static final long MINUTE = 60_000;

    private final List<StatementLine> lines = new ArrayList<>();
    private final Map<Long, Long> minuteChanges = new TreeMap<>();
    private final Map<LocalDate, Long> dayChanges = new TreeMap<>();

    public StatementModel() {
        onEvent(FundsDeposited.class, (position, e, event) -> add(position, StatementLine.credit(event,
                StatementLine.DEPOSIT, e.receivedAtMillis(), e.amount(), e.balanceAfter(), e.reference(), null)));
        onEvent(FundsRefunded.class, (position, e, event) -> add(position, StatementLine.debit(event,
                StatementLine.REFUND, e.receivedAtMillis(), e.amount(), e.balanceAfter(), e.reference(), e.reason())));
        onEvent(BalanceAdjusted.class, (position, e, event) -> add(position, StatementLine.credit(event,
                StatementLine.ADJUSTMENT, e.receivedAtMillis(), e.amount(), e.balanceAfter(), e.reference(),
                e.reason())));
        onEvent(PlaytimeCharged.class, (position, e, event) -> add(position, StatementLine.charge(event, e)));
    }

    /** The batch's new lines, each with the change to its user's running balance. */
    public List<StatementLine> lines() {
        return lines;
    }

    /** Σ balance changes per minute (its start, epoch millis), to add to the stored sums. */
    public Map<Long, Long> minuteChanges() {
        return minuteChanges;
    }

    /** Σ balance changes per UTC day, to add to the stored sums. */
    public Map<LocalDate, Long> dayChanges() {
        return dayChanges;
    }

    private void add(Position position, StatementLine unbalanced) {
        StatementLine line = unbalanced.withBalanceChange(unbalanced.balanceAfter() - position.balance);
        position.balance = line.balanceAfter();
        lines.add(line);
        if (line.balanceChange() != 0) {
            minuteChanges.merge(Math.floorDiv(line.occurredAt(), MINUTE) * MINUTE, line.balanceChange(), Long::sum);
            dayChanges.merge(LocalDate.ofInstant(Instant.ofEpochMilli(line.occurredAt()), ZoneOffset.UTC),
                    line.balanceChange(), Long::sum);
        }
    }

    @Override
    protected Position newRow(String user) {
        return new Position(user, 0, -1);
    }

    /** A user's running balance on the statement and the last event applied. */
    public static final class Position extends ReadModel.Row {

        private final String userId;
        private long balance;

        public Position(String userId, long balance, long lastSequence) {
            super(lastSequence);
            this.userId = userId;
            this.balance = balance;
        }

        public String userId() {
            return userId;
        }

        public long balance() {
            return balance;
        }
    }
}
