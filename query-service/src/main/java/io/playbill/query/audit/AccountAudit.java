package io.playbill.query.audit;

import io.playbill.query.audit.rules.AuditEvent;
import io.playbill.query.audit.rules.Findings;
import io.playbill.query.audit.rules.PriceHistory;
import io.playbill.query.audit.rules.RuleReplay;
import io.playbill.query.readmodel.FinanceBuckets;

/**
 * One account's audit: each of its events, in sequence order, is checked against the billing rules
 * ({@link RuleReplay}) and recorded as the projections must show it ({@link RecordedAccount}); at the end, the
 * money events must add up to the balance the account recorded.
 */
final class AccountAudit {

    private final String user;
    private final Findings findings;
    private final RuleReplay rules;
    private final RecordedAccount recorded;
    private AuditEvent lastEvent;

    /**
     * @param rollups where to add this account's finance figures, or null
     * @param wanted  the sequences to capture the recorded state at
     */
    AccountAudit(String user, PriceHistory prices, Findings findings, FinanceBuckets rollups, RecordedAccount.Wanted wanted) {
        this.user = user;
        this.findings = findings;
        this.rules = new RuleReplay(user, prices, findings);
        this.recorded = new RecordedAccount(rollups, wanted);
    }

    void apply(AuditEvent event) {
        rules.apply(event);
        recorded.record(event);
        lastEvent = event;
    }

    /** Ends the account: open commands are checked and Σ of the money events is compared with the balance. */
    void finish() {
        rules.finish();
        if (lastEvent != null && recorded.movementSum() != recorded.balance()) {
            findings.invariant("sum_identity_broken", user, lastEvent,
                    "Deposits − refunds ± adjustments − charges = " + recorded.movementSum()
                            + ", but the account's balance is " + recorded.balance());
        }
    }

    String user() {
        return user;
    }

    /** The balance the rules give after the events applied so far. */
    long balance() {
        return rules.balance();
    }

    /** What the events recorded. */
    RecordedAccount recorded() {
        return recorded;
    }
}
