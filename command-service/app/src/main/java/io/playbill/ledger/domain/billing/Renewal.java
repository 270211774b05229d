package io.playbill.ledger.domain.billing;

import java.util.List;

/**
 * The decision for one renew.
 *
 * @param firstRenewAtMillis t0 (set by this renew if it is the session's first)
 * @param charges            what to take from the balance, one per price (possibly none)
 * @param meter              the session's meter afterwards
 * @param deadline           the deadline to answer: seconds from t0 the user may play to; never decreases
 * @param balanceLimited     the balance paid for less than the renew wanted to grant (under-bill: a cycle past the
 *                           played time; over-bill: a cycle past now): the paid playtime ends at the deadline
 */
public record Renewal(long firstRenewAtMillis, List<Charge> charges, Meter meter, long deadline,
                      boolean balanceLimited) {

    public Renewal {
        charges = List.copyOf(charges);
    }
}
