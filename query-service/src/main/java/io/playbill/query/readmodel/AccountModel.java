package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row per user: balance (the latest {@code balanceAfter}), billed playtime in total and per queue, and the
 * number of sessions that are not over. Playtime is billed seconds, the playtime the ledger accounted for.
 */
public final class AccountModel extends UserReadModel<AccountRow> {

    private final Map<QueuePlaytime, Long> addedPlaytime = new LinkedHashMap<>();

    public AccountModel() {
        on(AccountOpened.class, (row, e) -> row.openedAt = e.openedAtMillis());
        on(FundsDeposited.class, (row, e) -> row.balance = e.balanceAfter().minorUnits());
        on(FundsRefunded.class, (row, e) -> row.balance = e.balanceAfter().minorUnits());
        on(BalanceAdjusted.class, (row, e) -> row.balance = e.balanceAfter().minorUnits());
        on(PlaytimeCharged.class, (row, e) -> {
            row.balance = e.balanceAfter().minorUnits();
            row.playtime += e.secondsCharged().value();
            addedPlaytime.merge(new QueuePlaytime(row.userId(), e.queue()), e.secondsCharged().value(), Long::sum);
        });
        on(SessionAuthorized.class, (row, e) -> row.activeSessions++);
        on(SessionRenewed.class, (row, e) -> row.balance = e.balanceAfter().minorUnits());
        on(SessionEnded.class, (row, e) -> {
            row.balance = e.balanceAfter().minorUnits();
            row.activeSessions--;
        });
    }

    /** The billed seconds the batch adds to each user's queue, to add to the stored per-queue playtime. */
    public Map<QueuePlaytime, Long> addedPlaytime() {
        return addedPlaytime;
    }

    @Override
    protected AccountRow newRow(String user) {
        return new AccountRow(user, 0, 0, 0, null, -1);
    }

    /** A user's playtime in one queue. */
    public record QueuePlaytime(String userId, String queue) {
    }
}
