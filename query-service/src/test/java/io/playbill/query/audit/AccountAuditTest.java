package io.playbill.query.audit;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.audit.rules.AccountEvents;
import io.playbill.query.audit.rules.Finding;
import io.playbill.query.audit.rules.Findings;
import io.playbill.query.audit.rules.PriceHistory;
import io.playbill.query.readmodel.FinanceBuckets;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's own billing arithmetic against hand-computed histories, clean and broken. */
class AccountAuditTest {

    private static final String USER = AccountEvents.USER;
    private static final String QUEUE = AccountEvents.QUEUE;
    private static final long T = Instant.parse("2031-02-03T10:00:00Z").toEpochMilli();

    @Test
    void theScriptedHistoryIsClean() {
        ScriptedHistory history = new ScriptedHistory(Instant.parse("2031-01-01T00:00:00Z"));
        PriceHistory prices = new PriceHistory();
        history.prices().forEach(prices::add);
        Findings findings = new Findings(100);
        assertThat(replay(history.userA, history.accountA(), prices, findings).balance()).isEqualTo(600);
        assertThat(replay(history.userB, history.accountB(), prices, findings).balance()).isEqualTo(300);
        assertThat(findings.listed()).isEmpty();
    }

    @Test
    void aChargeRoundedTheWrongWayIsAMismatchAtThatCharge() {
        // Under-bill rounds down: 31 s at 100/min cost floor(51.67) = 51, not 52.
        List<Finding> findings = audit(underBillSession(31, 52));
        assertThat(findings).extracting(Finding::kind, Finding::sequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("charge_mismatch", 5L));
        assertThat(findings.get(0).message()).contains("rounded down cumulatively, cost 51, charged 52");
    }

    @Test
    void aCorrectChargeIsClean() {
        assertThat(audit(underBillSession(31, 51))).isEmpty();
    }

    @Test
    void chargingMoreThanWasPlayedBreaksTheUnderBillBound() {
        // The stop at t0 + 31.5 s may bill 31 s; 40 s were billed (granted, priced right, but not played).
        List<Object> events = new AccountEvents(T).deposit(1000).start("s", BillingMode.UNDER, 0)
                .renew("s", T + 1000, 60)
                .charge("s", T + 32_500, 40, 66).stop("s", T + 32_500).payloads();
        assertThat(audit(events)).extracting(Finding::kind)
                .containsExactlyInAnyOrder("billed_seconds_mismatch", "billing_bound_exceeded");
    }

    @Test
    void aStopReceivedBeforeTheLastRenewButDecidedAfterItIsClean() {
        // The soak's case: the renew received at t0 + 157.3 s billed 157 s; the stop, received at t0 + 156.6 s but
        // decided after it, bills nothing more. The user played at least until the renew, so nothing was overbilled.
        long t0 = T + 1000;
        List<Object> events = billedFor30sAt(t0)
                .charge("s", t0 + 60_200, 30, 50).renew("s", t0 + 60_200, 120)
                .charge("s", t0 + 90_200, 30, 50).renew("s", t0 + 90_200, 150)
                .charge("s", t0 + 120_200, 30, 50).renew("s", t0 + 120_200, 180)
                .charge("s", t0 + 157_300, 37, 61).renew("s", t0 + 157_300, 217)
                .stop("s", t0 + 156_600).payloads();
        assertThat(audit(events)).isEmpty();
    }

    @Test
    void aStopOvertakenByARenewThatBilledOnlyUpToItsGrantIsClean() {
        // The renew received at t0 + 95 s billed the 90 s granted before it (not 95) and granted 150; the stop,
        // received at t0 + 92.5 s but decided after it, bills nothing, though 92 s lie between billed and granted.
        long t0 = T + 1000;
        List<Object> events = billedFor30sAt(t0)
                .charge("s", t0 + 95_000, 60, 100).renew("s", t0 + 95_000, 150)
                .stop("s", t0 + 92_500).payloads();
        assertThat(audit(events)).isEmpty();
    }

    @Test
    void aLateRenewThatBillsPastItsOwnReceiveTimeStillBreaksTheBound() {
        // Received at t0 + 20.5 s after a renew at t0 + 30.2 s (billed 30 s), it must bill nothing: 35 s is more than
        // any request of the session saw played.
        long t0 = T + 1000;
        List<Object> events = billedFor30sAt(t0)
                .charge("s", t0 + 20_500, 5, 8).renew("s", t0 + 20_500, 95).payloads();
        assertThat(audit(events)).extracting(Finding::kind).contains("billing_bound_exceeded");
    }

    @Test
    void aBalanceThatDoesNotFollowFromTheMoneyEventsIsReportedOnceWithTheSumIdentity() {
        List<Finding> findings = audit(List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d1", Money.of(100), Money.of(100), T, null),
                new FundsDeposited(USER, "d2", Money.of(50), Money.of(160), T + 1, null),
                new FundsRefunded(USER, "r", Money.of(10), "why", Money.of(150), T + 2, null)));
        assertThat(findings).extracting(Finding::kind, Finding::sequence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("balance_mismatch", 2L),
                org.assertj.core.groups.Tuple.tuple("sum_identity_broken", 3L));
    }

    @Test
    void aNegativeBalanceAndAPriceNotInForceAreFound() {
        List<Finding> findings = audit(List.of(new AccountOpened(USER, T),
                new FundsRefunded(USER, "r", Money.of(10), "why", Money.of(-10), T, null),
                new SessionAuthorized(USER, "s", QUEUE, 90, T, T + 60_000)));
        assertThat(findings).extracting(Finding::kind).containsExactly("negative_balance", "price_mismatch");
    }

    /** Deposit 1000, an under-bill session at 100/min from T with t0 given; its renew at t0 + 30.2 s billed 30 s. */
    private static AccountEvents billedFor30sAt(long t0) {
        return new AccountEvents(T).deposit(1000).start("s", BillingMode.UNDER, 0).renew("s", t0, 60)
                .charge("s", t0 + 30_200, 30, 50).renew("s", t0 + 30_200, 90);
    }

    /** Deposit 1000, an under-bill session at 100/min with t0 = T + 1 s, stopped after {@code seconds}.5 s. */
    private static List<Object> underBillSession(long seconds, long amount) {
        long stop = T + 1000 + seconds * 1000 + 500;
        return new AccountEvents(T).deposit(1000).start("s", BillingMode.UNDER, 0).renew("s", T + 1000, 60)
                .charge("s", stop, seconds, amount).stop("s", stop).payloads();
    }

    private static List<Finding> audit(List<Object> payloads) {
        Findings findings = new Findings(100);
        replay(USER, payloads, AccountEvents.prices(T), findings);
        return findings.listed();
    }

    private static AccountAudit replay(String user, List<Object> payloads, PriceHistory prices, Findings findings) {
        AccountAudit audit = new AccountAudit(user, prices, findings, new FinanceBuckets(),
                RecordedAccount.Wanted.NOTHING);
        AccountEvents.asAuditEvents(user, payloads).forEach(audit::apply);
        audit.finish();
        return audit;
    }
}
