package io.playbill.infra.loadgen.simulate;

import io.playbill.ledger.api.events.BillingMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks each player's charge in the ledger against the play its own clock measured, within the bound the
 * billing mode promises (token-spec §5): under-billing charges at most what was played and at most 30 s + one
 * cycle less; over-billing at least what was played and at most 30 s + one cycle more. Charges are capped by the
 * balance, and a balance is never negative.
 *
 * <p>The player cannot know the gateway's receive times, only that each lies between sending and answer, so
 * every bound is taken over the widest interval the ledger can have seen (see {@link PlayerOutcome}), plus one
 * second for the ledger counting whole seconds.
 */
public final class Reconciliation {

    /** What the settlement deposit adds to each balance (see {@link LedgerSettlement}). */
    static final long SETTLE_MARKER = LedgerSettlement.MARKER;
    private static final long SDK_FREE_SECONDS = 30;
    private static final long WHOLE_SECOND_MILLIS = 1000;

    /** The charge the ledger may have made, in minor units, both ends included. */
    record Bounds(long low, long high) {
    }

    /** One player's verdict. {@code charged} is -1 when the balance could not be settled. */
    public record Check(String userId, String session, boolean ok, long charged, long low, long high, long balance,
                 String problem) {
    }

    /** Every player's verdict; {@code ok} only when every player is within bounds and at least one played. */
    public record Result(boolean ok, int players, int played, long totalCharged, long totalLow, long totalHigh,
                  List<Check> failures) {
    }

    private final BillingMode mode;
    private final long pricePerMinute;
    private final long toleranceMillis;
    private final String pricedQueue;

    Reconciliation(BillingMode mode, long pricePerMinute, Duration cycle, String pricedQueue) {
        this.mode = mode;
        this.pricePerMinute = pricePerMinute;
        this.toleranceMillis = (SDK_FREE_SECONDS + cycle.toSeconds()) * 1000 + WHOLE_SECOND_MILLIS;
        this.pricedQueue = pricedQueue;
    }

    Bounds expected(PlayerOutcome player) {
        long balance = player.balanceBefore();
        long oneSecond = -Math.floorDiv(-pricePerMinute, 60);
        if (mode == BillingMode.UNDER) {
            long high = costDown(player.playedMaxMillis());
            long low = player.played() ? costDown(player.playedMinMillis() - toleranceMillis) : 0;
            return capped(low, high, balance, oneSecond);
        }
        long high = player.started() ? costUp(Math.max(0, player.playedMaxMillis()) + toleranceMillis) : 0;
        long low = player.played() ? costDown(player.playedMinMillis()) : 0;
        return capped(low, high, balance, oneSecond);
    }

    Check check(PlayerOutcome player, LedgerSettlement.Settled settled) {
        Bounds bounds = expected(player);
        if (!player.finished()) {
            return failed(player, bounds, -1, settled, "the player did not finish: " + player.endReason());
        }
        if (!player.queue().isEmpty() && !player.queue().equals(pricedQueue)) {
            return failed(player, bounds, -1, settled, "played on queue " + player.queue() + ", but the run priced "
                    + pricedQueue);
        }
        if (settled == null || settled.problem() != null) {
            return failed(player, bounds, -1, settled, settled == null ? "not settled" : settled.problem());
        }
        long charged = player.balanceBefore() + SETTLE_MARKER - settled.projectedBalance();
        if (settled.projectedBalance() < 0 || settled.ledgerBalance() < 0) {
            return failed(player, bounds, charged, settled, "negative balance " + settled.projectedBalance());
        }
        if (charged < bounds.low() || charged > bounds.high()) {
            return failed(player, bounds, charged, settled, "charged " + charged + ", expected " + bounds.low()
                    + ".." + bounds.high() + " for " + player.playedMinMillis() + "-" + player.playedMaxMillis()
                    + " ms of play (" + player.endReason() + ")");
        }
        return new Check(player.userId(), player.session(), true, charged, bounds.low(), bounds.high(),
                settled.projectedBalance(), null);
    }

    Result reconcile(List<PlayerOutcome> players, Map<String, LedgerSettlement.Settled> settlements) {
        List<Check> failures = new ArrayList<>();
        long charged = 0;
        long low = 0;
        long high = 0;
        int played = 0;
        for (PlayerOutcome player : players) {
            Check check = check(player, settlements.get(player.userId()));
            if (!check.ok()) {
                failures.add(check);
            }
            charged += Math.max(0, check.charged());
            low += check.low();
            high += check.high();
            played += player.played() ? 1 : 0;
        }
        return new Result(failures.isEmpty() && played > 0, players.size(), played, charged, low, high,
                List.copyOf(failures));
    }

    private Check failed(PlayerOutcome player, Bounds bounds, long charged, LedgerSettlement.Settled settled,
                         String problem) {
        long balance = settled == null ? -1 : settled.projectedBalance();
        return new Check(player.userId(), player.session(), false, charged, bounds.low(), bounds.high(), balance,
                problem);
    }

    /**
     * A charge never exceeds the balance; once the balance cannot pay for another second, the rest (less than
     * one second's price) stays.
     */
    private static Bounds capped(long low, long high, long balance, long oneSecond) {
        long cappedHigh = Math.min(high, balance);
        long cappedLow = Math.max(0, Math.min(low, balance - oneSecond));
        return new Bounds(Math.min(cappedLow, cappedHigh), cappedHigh);
    }

    private long costDown(long millis) {
        return millis <= 0 ? 0 : Math.floorDiv(millis * pricePerMinute, 60_000L);
    }

    private long costUp(long millis) {
        return millis <= 0 ? 0 : -Math.floorDiv(-millis * pricePerMinute, 60_000L);
    }
}
