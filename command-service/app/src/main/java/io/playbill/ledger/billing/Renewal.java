package io.playbill.ledger.billing;

import java.util.List;

/**
 * The decision for one renew.
 *
 * @param firstRenewAtMillis t0 (set by this renew if it is the session's first)
 * @param charges            what to take from the balance, one per price (possibly none)
 * @param meter              the session's meter afterwards
 * @param deadline           the deadline to answer: seconds from t0 the user may play to; never decreases
 * @param balanceExhausted   the balance cannot pay for any more playtime and the session ends (under-bill: once
 *                           everything granted is played and charged; over-bill: once a renew wants more and
 *                           the balance pays for none)
 */
public record Renewal(long firstRenewAtMillis, List<Charge> charges, Meter meter, long deadline,
                      boolean balanceExhausted) {

    public Renewal {
        charges = List.copyOf(charges);
    }
}
