package io.playbill.query.projection;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which events belong to a user's account (everything but the price list's), and the users of a batch. */
public final class AccountEvents {

    private static final Set<Class<?>> TYPES = Set.of(AccountOpened.class, FundsDeposited.class, FundsRefunded.class,
            BalanceAdjusted.class, SessionAuthorized.class, SessionStarted.class, PlaytimeCharged.class,
            SessionRenewed.class, SessionEnded.class);

    private AccountEvents() {
    }

    public static boolean isAccountEvent(LedgerEvent event) {
        return TYPES.contains(event.payload().getClass());
    }

    /** The distinct users with account events in {@code events}, in first-seen order. */
    public static List<String> users(List<LedgerEvent> events) {
        Set<String> users = new LinkedHashSet<>();
        for (LedgerEvent event : events) {
            if (isAccountEvent(event)) {
                users.add(event.aggregateId());
            }
        }
        return List.copyOf(users);
    }
}
