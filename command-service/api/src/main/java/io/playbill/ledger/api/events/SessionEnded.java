package io.playbill.ledger.api.events;

import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;

/**
 * The session is over: no more playtime is granted or charged. The cloud-game stopper and audits act on it.
 *
 * @param reason         why it ended
 * @param endedAtMillis  when: the stop's or renew's receive time, or for an expiry the moment the session became
 *                       due (t0 + its last deadline + 30 s when it stopped renewing; t0 + its last deadline when
 *                       the balance paid for no more), all on the gateway's clock
 * @param billedSeconds  the session's billed seconds in total (final)
 * @param chargedAmount  what the session cost in total (minor units)
 * @param deadline       the last deadline the session was given (seconds from t0; 0 if it never renewed)
 * @param balanceAfter   the user's balance once the session ended
 */
@Revision("1")
public record SessionEnded(String userId, String session, String queue, SessionEndReason reason,
                           long endedAtMillis, Seconds billedSeconds, Money chargedAmount, Seconds deadline,
                           Money balanceAfter) {
}
