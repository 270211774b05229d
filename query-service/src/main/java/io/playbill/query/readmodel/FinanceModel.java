package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionStarted;

/**
 * The finance rollups a batch adds ({@link FinanceBuckets}): per queue and hour/day the revenue, billed playtime and
 * sessions started; per day the deposits, refunds and adjustments. A user's row only remembers the last event
 * applied, so a redelivered event is not counted twice.
 */
public final class FinanceModel extends UserReadModel<FinanceModel.Position> {

    private final FinanceBuckets buckets = new FinanceBuckets();

    public FinanceModel() {
        on(PlaytimeCharged.class, (user, e) -> buckets.charged(e.queue(), e.receivedAtMillis(),
                e.amount().minorUnits(), e.secondsCharged().value()));
        on(SessionStarted.class, (user, e) -> buckets.sessionStarted(e.queue(), e.receivedAtMillis()));
        on(FundsDeposited.class, (user, e) -> buckets.deposited(e.receivedAtMillis(), e.amount().minorUnits()));
        on(FundsRefunded.class, (user, e) -> buckets.refunded(e.receivedAtMillis(), e.amount().minorUnits()));
        on(BalanceAdjusted.class, (user, e) -> buckets.adjusted(e.receivedAtMillis(), e.amount().minorUnits()));
    }

    /** What the batch adds to the stored rollups. */
    public FinanceBuckets buckets() {
        return buckets;
    }

    @Override
    protected Position newRow(String user) {
        return new Position(user, -1);
    }

    /** The last event of a user the rollups hold. */
    public static final class Position extends ReadModel.Row {

        private final String userId;

        public Position(String userId, long lastSequence) {
            super(lastSequence);
            this.userId = userId;
        }

        public String userId() {
            return userId;
        }
    }
}
