package io.playbill.query.readmodel;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.PriceSet;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.query.projection.LedgerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The read models' decisions without a database: what the projectors write is tested end to end elsewhere. */
class ReadModelTest {

    private static final long T = Instant.parse("2026-03-01T10:15:00Z").toEpochMilli();

    @Test
    void anEventARowHasAlreadyAppliedChangesNothing() {
        AccountModel model = new AccountModel();
        List<LedgerEvent> events = List.of(
                event("u", 0, new AccountOpened("u", T)),
                event("u", 1, new FundsDeposited("u", "d", Money.of(1000), Money.of(1000), T, null)),
                event("u", 1, new FundsDeposited("u", "d", Money.of(1000), Money.of(1000), T, null)),
                event("u", 2, charged("u", 60, 100, 900)));

        List<AccountRow> changed = model.apply(events, Map.of());

        assertThat(changed).singleElement().satisfies(row -> {
            assertThat(row.balance()).isEqualTo(900);
            assertThat(row.playtime()).isEqualTo(60);
            assertThat(row.openedAt()).isEqualTo(T);
            assertThat(row.lastSequence()).isEqualTo(2);
        });
        assertThat(model.addedPlaytime()).containsExactly(Map.entry(new AccountModel.QueuePlaytime("u", "q"), 60L));
    }

    @Test
    void aStoredRowSkipsTheEventsUpToItsSequenceAndIsNotChangedByThem() {
        StatementModel model = new StatementModel();
        List<LedgerEvent> events = List.of(
                event("u", 4, new FundsDeposited("u", "old", Money.of(500), Money.of(500), T, null)),
                event("v", 0, new FundsDeposited("v", "new", Money.of(300), Money.of(300), T, null)));

        List<StatementModel.Position> changed = model.apply(events,
                Map.of("u", new StatementModel.Position("u", 500, 4)));

        assertThat(changed).extracting(StatementModel.Position::userId).containsExactly("v");
        assertThat(model.lines()).extracting(StatementLine::eventId).containsExactly("v-0");
        assertThat(model.lines().get(0).balanceChange()).isEqualTo(300);
    }

    @Test
    void onlyTheEventsOfAModelAreKeys() {
        List<LedgerEvent> events = List.of(
                event("prices", 0, new PriceSet("q", 100, T, "admin", null)),
                event("u", 0, new AccountOpened("u", T)),
                event("u", 1, charged("u", 60, 100, 900)));

        assertThat(new AccountModel().keys(events)).containsExactly("u");
        assertThat(new SessionModel().keys(events)).isEqualTo(Set.of(new SessionRow.Key("u", "s")));
    }

    @Test
    void eachMoneyMovementLandsInItsOwnColumns() {
        FinanceModel model = new FinanceModel();
        model.apply(List.of(
                event("u", 0, new FundsDeposited("u", "d", Money.of(1000), Money.of(1000), T, null)),
                event("u", 1, new FundsRefunded("u", "r", Money.of(200), "asked", Money.of(800), T, null)),
                event("u", 2, new BalanceAdjusted("u", "a", Money.of(-50), "fix", Money.of(750), T, null)),
                event("u", 3, charged("u", 60, 100, 650))), Map.of());

        FinanceBuckets buckets = model.buckets();
        assertThat(buckets.money()).containsExactly(Map.entry(LocalDate.of(2026, 3, 1),
                new FinanceBuckets.Movements(1, 1000, 1, 200, 1, -50)));
        assertThat(buckets.hours()).containsExactly(Map.entry(
                new FinanceBuckets.QueueHour(Instant.parse("2026-03-01T10:00:00Z"), "q"),
                new FinanceBuckets.Usage(100, 60, 0)));
        assertThat(buckets.days().values()).containsExactly(new FinanceBuckets.Usage(100, 60, 0));
    }

    private static PlaytimeCharged charged(String user, long seconds, long amount, long balanceAfter) {
        return new PlaytimeCharged(user, "s", "q", T, 100, Seconds.of(seconds), Seconds.of(seconds),
                Money.of(amount), Money.of(balanceAfter));
    }

    private static LedgerEvent event(String user, long sequence, Object payload) {
        return new LedgerEvent(user + "-" + sequence, user, sequence, Instant.ofEpochMilli(T), payload);
    }
}
