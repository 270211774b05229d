package io.playbill.query.audit;

import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionAuthorized;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.query.readmodel.FinanceBuckets;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's own billing arithmetic against hand-computed histories, clean and broken. */
class AccountAuditTest {

    private static final String USER = "u";
    private static final String QUEUE = "q";
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
        List<Object> events = new ArrayList<>(List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", Money.of(1000), Money.of(1000), T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, Seconds.of(60), 100, Seconds.of(0), T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, T + 1000, Seconds.of(0), T + 1000, 100, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(1000), T + 91_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, T + 32_500, 100, Seconds.of(40), Seconds.of(40), Money.of(66), Money.of(934)),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, T + 32_500, Seconds.of(40), Money.of(66), Seconds.of(60), Money.of(934))));
        assertThat(audit(events)).extracting(Finding::kind)
                .containsExactlyInAnyOrder("billed_seconds_mismatch", "billing_bound_exceeded");
    }

    @Test
    void aStopReceivedBeforeTheLastRenewButDecidedAfterItIsClean() {
        // The soak's case: the renew received at t0 + 157.3 s billed 157 s; the stop, received at t0 + 156.6 s but
        // decided after it, bills nothing more. The user played at least until the renew, so nothing was overbilled.
        long t0 = T + 1000;
        List<Object> events = List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", Money.of(1000), Money.of(1000), T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, Seconds.of(60), 100, Seconds.of(0), T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, t0, Seconds.of(0), t0, 100, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(1000), t0 + 90_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 30_200, 100, Seconds.of(30), Seconds.of(30), Money.of(50), Money.of(950)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 30_200, Seconds.of(60), t0, 100, Seconds.of(30), Seconds.of(90), Seconds.of(90), Money.of(950), t0 + 120_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 60_200, 100, Seconds.of(30), Seconds.of(60), Money.of(50), Money.of(900)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 60_200, Seconds.of(90), t0, 100, Seconds.of(60), Seconds.of(120), Seconds.of(120), Money.of(900), t0 + 150_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 90_200, 100, Seconds.of(30), Seconds.of(90), Money.of(50), Money.of(850)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 90_200, Seconds.of(120), t0, 100, Seconds.of(90), Seconds.of(150), Seconds.of(150), Money.of(850), t0 + 180_000,
                        false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 120_200, 100, Seconds.of(30), Seconds.of(120), Money.of(50), Money.of(800)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 120_200, Seconds.of(150), t0, 100, Seconds.of(120), Seconds.of(180), Seconds.of(180), Money.of(800), t0 + 210_000,
                        false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 157_300, 100, Seconds.of(37), Seconds.of(157), Money.of(61), Money.of(739)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 157_300, Seconds.of(180), t0, 100, Seconds.of(157), Seconds.of(217), Seconds.of(217), Money.of(739), t0 + 247_000,
                        false),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, t0 + 156_600, Seconds.of(157), Money.of(261), Seconds.of(217), Money.of(739)));
        assertThat(audit(events)).isEmpty();
    }

    @Test
    void aLateRenewThatBillsPastItsOwnReceiveTimeStillBreaksTheBound() {
        // Received at t0 + 20.5 s after a renew at t0 + 30.2 s (billed 30 s), it must bill nothing: 35 s is more than
        // any request of the session saw played.
        long t0 = T + 1000;
        List<Object> events = List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", Money.of(1000), Money.of(1000), T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, Seconds.of(60), 100, Seconds.of(0), T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, t0, Seconds.of(0), t0, 100, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(1000), t0 + 90_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 30_200, 100, Seconds.of(30), Seconds.of(30), Money.of(50), Money.of(950)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 30_200, Seconds.of(60), t0, 100, Seconds.of(30), Seconds.of(90), Seconds.of(90), Money.of(950), t0 + 120_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 20_500, 100, Seconds.of(5), Seconds.of(35), Money.of(8), Money.of(942)),
                new SessionRenewed(USER, "s", QUEUE, t0 + 20_500, Seconds.of(90), t0, 100, Seconds.of(35), Seconds.of(95), Seconds.of(95), Money.of(942), t0 + 125_000, false));
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

    /** Deposit 1000, an under-bill session at 100/min with t0 = T + 1 s, stopped after {@code seconds}.5 s. */
    private static List<Object> underBillSession(long seconds, long amount) {
        long stop = T + 1000 + seconds * 1000 + 500;
        return List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", Money.of(1000), Money.of(1000), T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, Seconds.of(60), 100, Seconds.of(0), T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, T + 1000, Seconds.of(0), T + 1000, 100, Seconds.of(0), Seconds.of(60), Seconds.of(60), Money.of(1000), T + 91_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, stop, 100, Seconds.of(seconds), Seconds.of(seconds), Money.of(amount), Money.of(1000 - amount)),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, stop, Seconds.of(seconds), Money.of(amount), Seconds.of(60), Money.of(1000 - amount)));
    }

    private static List<Finding> audit(List<Object> payloads) {
        PriceHistory prices = new PriceHistory();
        prices.add(new io.playbill.ledger.api.events.PriceSet(QUEUE, 100, T - 1000, "admin", null));
        Findings findings = new Findings(100);
        replay(USER, payloads, prices, findings);
        return findings.listed();
    }

    private static AccountAudit replay(String user, List<Object> payloads, PriceHistory prices, Findings findings) {
        AccountAudit audit = new AccountAudit(user, prices, findings, new FinanceBuckets(), AccountAudit.Wanted.NOTHING);
        for (int i = 0; i < payloads.size(); i++) {
            Object payload = payloads.get(i);
            audit.apply(new AuditEvent(UUID.randomUUID().toString(), user, i, payload.getClass().getName(), payload,
                    Instant.now()));
        }
        audit.finish();
        return audit;
    }
}
