package io.playbill.infra.loadgen.simulate;

import java.util.List;

/**
 * What happened to one simulated player, as its own clocks saw it: the input of the reconciliation. Each played
 * interval is the widest (or, for the minimum, narrowest) that elapsed time or the host's wall clock shows, since
 * the gateway times billing by its wall clock and a stepped wall clock parts the two.
 *
 * @param balanceBefore    the ledger's balance after the top-up (0 without a top-up: dev users are fresh)
 * @param finished         whether the player stopped (or gave up) before the run's grace period ran out
 * @param started          whether a start token was received (over-billing charges from there)
 * @param played           whether a first renew token was received: playtime (and under-billing) starts there
 * @param playedMinMillis  the shortest the ledger can have seen the play: from receiving the first renew token to
 *                         the moment the game ended (play length reached, or the deadline reached)
 * @param playedMaxMillis  the longest the ledger can have seen it: from sending the first renew to the last answer
 *                         of any renew or stop (the gateway's receive time of each lies in between); also set
 *                         when the first renew failed, since it may have reached the ledger anyway
 * @param finalDeadline    the last deadline held, seconds of playtime
 * @param endReason        play-length, deadline, run-ended, or why the player never played
 * @param renewsGranted    renews that extended the deadline
 * @param renewsNotExtended renews answered 200 without extending it (balance exhausted) or refused with 402
 * @param renewsFailed     renews that failed otherwise (after 503 retries)
 * @param accepted         what the gateway answered 200 to: each must be in the ledger
 */
public record PlayerOutcome(String userId, String session, String queue, long balanceBefore, boolean finished,
                            boolean started, boolean played, long playedMinMillis, long playedMaxMillis,
                            long finalDeadline, String endReason, int renewsGranted, int renewsNotExtended,
                            int renewsFailed, Accepted accepted) {

    /**
     * The player's calls the gateway accepted (answered 200), which the ledger must therefore hold.
     *
     * @param topUpReference the reference of the top-up, when it was accepted (else null)
     * @param started        the start was accepted: the ledger holds a SessionStarted
     * @param deadlines      every deadline a renew granted (each extended the one before): a SessionRenewed each
     * @param stopped        the stop was accepted: the ledger holds a SessionEnded
     */
    public record Accepted(String topUpReference, boolean started, List<Long> deadlines, boolean stopped) {

        public Accepted {
            deadlines = List.copyOf(deadlines);
        }
    }
}
