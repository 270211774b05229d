package io.playbill.ledger.domain.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * One session's playtime on its billing clock (whole seconds from the session's billing origin): how far the user
 * may play ({@code grantedSeconds}), how far they have been charged ({@code billedSeconds}), and the price of every
 * granted stretch that is not fully charged yet.
 *
 * <p>Every second is priced when it is granted. Over-bill charges a second when it grants it; under-bill charges
 * it once it was played, at the price it was granted at, so a price rise never leaves granted playtime unpaid.
 * The last span is kept even when fully billed: a later grant at the same price continues it, which keeps the
 * cost of a session at one price a single rounded number.
 *
 * @param spans the granted stretches ending after {@code billedSeconds}, in order, plus always the last one
 */
public record Meter(long grantedSeconds, long billedSeconds, List<PricedSpan> spans) {

    public static final Meter NOTHING_GRANTED = new Meter(0, 0, List.of());

    public Meter {
        spans = List.copyOf(spans);
    }

    /** Grants playtime up to {@code untilSecond} at {@code pricePerMinute}; a grant never shrinks. */
    public Meter grantUntil(long untilSecond, long pricePerMinute) {
        if (untilSecond <= grantedSeconds) {
            return this;
        }
        List<PricedSpan> granted = new ArrayList<>(spans);
        PricedSpan last = lastSpan();
        if (last != null && last.pricePerMinute() == pricePerMinute) {
            granted.set(granted.size() - 1, new PricedSpan(last.fromSecond(), untilSecond, pricePerMinute));
        } else {
            granted.add(new PricedSpan(grantedSeconds, untilSecond, pricePerMinute));
        }
        return new Meter(untilSecond, billedSeconds, openSpans(granted, billedSeconds));
    }

    /** Records that the session is billed up to {@code toSecond}; billing never goes back. */
    public Meter billUntil(long toSecond) {
        if (toSecond <= billedSeconds) {
            return this;
        }
        return new Meter(grantedSeconds, toSecond, openSpans(spans, toSecond));
    }

    /**
     * The charges that bill the session from {@code billedSeconds} up to {@code toSecond}: one per price, each the
     * difference of its span's cumulative costs.
     */
    public List<Charge> chargesUpTo(long toSecond, Rounding rounding) {
        if (toSecond > grantedSeconds) {
            throw new IllegalArgumentException("Cannot bill up to " + toSecond + " s: only " + grantedSeconds
                    + " s are granted");
        }
        List<Charge> charges = new ArrayList<>();
        for (PricedSpan span : spans) {
            long from = Math.max(billedSeconds, span.fromSecond());
            long to = Math.min(toSecond, span.untilSecond());
            if (to > from) {
                long amount = span.costUpTo(to, rounding) - span.costUpTo(from, rounding);
                charges.add(new Charge(span.pricePerMinute(), to - from, to, amount));
            }
        }
        return charges;
    }

    /** What the granted but not yet billed playtime will cost: money the balance must keep for it. */
    public long unbilledCost(Rounding rounding) {
        long cost = 0;
        for (PricedSpan span : spans) {
            cost += span.costUpTo(grantedSeconds, rounding) - span.costUpTo(billedSeconds, rounding);
        }
        return cost;
    }

    /**
     * The furthest second a grant at {@code pricePerMinute} can reach when {@code money} pays for the extension
     * (never less than {@code grantedSeconds}; {@link Long#MAX_VALUE} on a free queue).
     */
    public long reachablePaidBy(long pricePerMinute, long money, Rounding rounding) {
        PricedSpan last = lastSpan();
        if (last != null && last.pricePerMinute() == pricePerMinute) {
            // The extension continues the last span: what the whole span may cost is what it costs so far plus money.
            long spanCostSoFar = last.costUpTo(grantedSeconds, rounding);
            return saturatedAdd(last.fromSecond(),
                    rounding.secondsPaidBy(pricePerMinute, Math.addExact(spanCostSoFar, money)));
        }
        return saturatedAdd(grantedSeconds, rounding.secondsPaidBy(pricePerMinute, money));
    }

    private PricedSpan lastSpan() {
        return spans.isEmpty() ? null : spans.get(spans.size() - 1);
    }

    private static List<PricedSpan> openSpans(List<PricedSpan> spans, long billedSeconds) {
        List<PricedSpan> open = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            if (spans.get(i).untilSecond() > billedSeconds || i == spans.size() - 1) {
                open.add(spans.get(i));
            }
        }
        return open;
    }

    /** {@code second + seconds}, where a free queue's unlimited {@code seconds} stays unlimited. */
    private static long saturatedAdd(long second, long seconds) {
        return seconds > Long.MAX_VALUE - second ? Long.MAX_VALUE : second + seconds;
    }
}
