package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.BillingMode;

import java.util.ArrayList;
import java.util.List;

/**
 * A session's billing as the audit re-derives it: its clock (start, t0, cycle), the playtime granted and billed
 * (seconds on the session's billing clock) and the price every granted stretch was granted at. Consecutive grants
 * at one price form one stretch, whose cost is always computed from its first second.
 */
final class SessionAudit {

    final String id;
    final String queue;
    boolean started;
    boolean ended;
    BillingMode mode;
    long cycleSeconds;
    long startedAt;
    Long firstRenewAt;
    long granted;
    long billed;
    long charged;
    long deadline;
    /**
     * The latest receive time of the session's renews and stop so far. Requests can be decided out of receive order
     * (two gateways, a retry overtaken); the ledger then bills an earlier one nothing, so the under-bill bound is
     * what the furthest request saw played, not what the one being decided saw.
     */
    Long latestRequestAt;
    private final List<Stretch> stretches = new ArrayList<>();

    SessionAudit(String id, String queue) {
        this.id = id;
        this.queue = queue;
    }

    /** Records a renew or stop received at {@code atMillis}; returns the latest receive time so far. */
    long heard(long atMillis) {
        latestRequestAt = latestRequestAt == null ? atMillis : Math.max(latestRequestAt, atMillis);
        return latestRequestAt;
    }

    boolean roundsUp() {
        return mode == BillingMode.OVER;
    }

    /** Grants playtime up to {@code until} at {@code price}; false (nothing changes) if that is less than before. */
    boolean grant(long until, long price) {
        if (until < granted) {
            return false;
        }
        if (until > granted) {
            Stretch last = stretches.isEmpty() ? null : stretches.get(stretches.size() - 1);
            if (last != null && last.price == price) {
                last.until = until;
            } else {
                stretches.add(new Stretch(granted, until, price));
            }
            granted = until;
        }
        return true;
    }

    /**
     * What billing the seconds {@code (billed, billed + seconds]} at {@code price} costs under the cumulative rule,
     * or null if those seconds were not all granted at that price.
     */
    Long chargeFor(long seconds, long price) {
        long to = billed + seconds;
        for (Stretch stretch : stretches) {
            if (stretch.from <= billed && to <= stretch.until) {
                if (stretch.price != price) {
                    return null;
                }
                return stretch.costUpTo(to, roundsUp()) - stretch.costUpTo(billed, roundsUp());
            }
        }
        return null;
    }

    /** What granted but unbilled playtime will still cost: money the balance must hold for it. */
    long unbilledCost() {
        if (ended || !started) {
            return 0;
        }
        long cost = 0;
        for (Stretch stretch : stretches) {
            cost += stretch.costUpTo(granted, roundsUp()) - stretch.costUpTo(billed, roundsUp());
        }
        return cost;
    }

    /** Seconds {@code (from, until]} of the billing clock granted at one price. */
    private static final class Stretch {
        final long from;
        long until;
        final long price;

        Stretch(long from, long until, long price) {
            this.from = from;
            this.until = until;
            this.price = price;
        }

        long costUpTo(long second, boolean roundUp) {
            return BillingArithmetic.cost(price, BillingArithmetic.clamp(second, from, until) - from, roundUp);
        }
    }
}
