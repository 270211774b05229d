package io.playbill.infra.loadgen.simulate;

import io.playbill.ledger.api.events.BillingMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconciliation bounds, at 60 units per minute (one per second) and a 60 s cycle. */
class ReconciliationTest {

    private static final long TOP_UP = 10_000;
    /** The reconciliation reads balances only; what the gateway accepted is the soak's ledger check. */
    private static final PlayerOutcome.Accepted NOTHING_ACCEPTED = new PlayerOutcome.Accepted(null, false, List.of(),
            false);
    private final Reconciliation under = new Reconciliation(BillingMode.UNDER, 60, Duration.ofSeconds(60),
            "standard");
    private final Reconciliation over = new Reconciliation(BillingMode.OVER, 60, Duration.ofSeconds(60),
            "standard");

    @Test
    void underBillingAllowsUpTo30SecondsPlusACycleLessThanPlayedAndNeverMore() {
        PlayerOutcome played100s = played(100_000, 100_400);

        assertThat(under.expected(played100s)).isEqualTo(new Reconciliation.Bounds(9, 100));
        assertThat(charge(under, played100s, 100).ok()).isTrue();
        assertThat(charge(under, played100s, 9).ok()).isTrue();
        assertThat(charge(under, played100s, 101).problem()).startsWith("charged 101, expected 9..100");
        assertThat(charge(under, played100s, 8).ok()).isFalse();
    }

    @Test
    void overBillingAllowsUpTo30SecondsPlusACycleMoreThanPlayedAndNeverLess() {
        PlayerOutcome played100s = played(100_000, 100_400);

        assertThat(over.expected(played100s)).isEqualTo(new Reconciliation.Bounds(100, 192));
        assertThat(charge(over, played100s, 99).ok()).isFalse();
        assertThat(charge(over, played100s, 193).ok()).isFalse();
    }

    @Test
    void aChargeIsCappedByTheBalanceAndTheRestBelowOneSecondMayStay() {
        PlayerOutcome poor = new PlayerOutcome("u", "s", "standard", 45, true, true, true, 50_000, 50_300, 45,
                "deadline", 12, 3, 0, NOTHING_ACCEPTED);

        assertThat(under.expected(poor)).isEqualTo(new Reconciliation.Bounds(0, 45));
        assertThat(charge(under, poor, 45).ok()).isTrue();
    }

    @Test
    void aPlayerWithoutAFirstRenewTokenIsChargedAtMostWhatItsFailedRenewCouldHaveStarted() {
        PlayerOutcome refused = new PlayerOutcome("u", "s", "standard", TOP_UP, true, true, false, 0, 0, 0,
                "first renew failed: 402", 0, 0, 1, NOTHING_ACCEPTED);
        PlayerOutcome timedOut = new PlayerOutcome("u", "s", "standard", TOP_UP, true, true, false, 0, 20_000, 0,
                "first renew failed: timeout", 0, 0, 1, NOTHING_ACCEPTED);

        assertThat(under.expected(refused)).isEqualTo(new Reconciliation.Bounds(0, 0));
        assertThat(under.expected(timedOut)).as("the ledger may have set t0 before the answer was lost")
                .isEqualTo(new Reconciliation.Bounds(0, 20));
    }

    @Test
    void theRunFailsWhenAPlayerIsUnfinishedOrNobodyPlayed() {
        PlayerOutcome unfinished = new PlayerOutcome("u", "s", "standard", TOP_UP, false, true, true, 10_000,
                10_000, 60, "did not stop", 1, 0, 0, NOTHING_ACCEPTED);

        assertThat(charge(under, unfinished, 0).problem()).startsWith("the player did not finish");
        assertThat(under.reconcile(List.of(), Map.of()).ok()).as("nothing reconciled").isFalse();
    }

    @Test
    void aNegativeBalanceAlwaysFails() {
        PlayerOutcome played = played(10_000, 10_000);
        var settled = new LedgerSettlement.Settled("u", -5, -5, null);

        assertThat(under.check(played, settled).problem()).startsWith("negative balance");
    }

    private static PlayerOutcome played(long minMillis, long maxMillis) {
        return new PlayerOutcome("u", "s", "standard", TOP_UP, true, true, true, minMillis, maxMillis, 120,
                "play-length", 3, 0, 0, NOTHING_ACCEPTED);
    }

    /** The check when the ledger charged {@code charged}: the projected balance after the settlement marker. */
    private static Reconciliation.Check charge(Reconciliation reconciliation, PlayerOutcome player, long charged) {
        long balance = player.balanceBefore() + Reconciliation.SETTLE_MARKER - charged;
        return reconciliation.check(player, new LedgerSettlement.Settled(player.userId(), balance, balance, null));
    }
}
