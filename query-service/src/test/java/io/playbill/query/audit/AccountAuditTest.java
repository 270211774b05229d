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
                new FundsDeposited(USER, "d", 1000, 1000, T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, 60, 100, 0, T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, T + 1000, 0, T + 1000, 100, 0, 60, 60, 1000, T + 91_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, T + 32_500, 100, 40, 40, 66, 934),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, T + 32_500, 40, 66, 60, 934)));
        assertThat(audit(events)).extracting(Finding::kind)
                .containsExactlyInAnyOrder("billed_seconds_mismatch", "billing_bound_exceeded");
    }

    @Test
    void aStopReceivedBeforeTheLastRenewButDecidedAfterItIsClean() {
        // The soak's case: the renew received at t0 + 157.3 s billed 157 s; the stop, received at t0 + 156.6 s but
        // decided after it, bills nothing more. The user played at least until the renew, so nothing was overbilled.
        long t0 = T + 1000;
        List<Object> events = List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", 1000, 1000, T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, 60, 100, 0, T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, t0, 0, t0, 100, 0, 60, 60, 1000, t0 + 90_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 30_200, 100, 30, 30, 50, 950),
                new SessionRenewed(USER, "s", QUEUE, t0 + 30_200, 60, t0, 100, 30, 90, 90, 950, t0 + 120_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 60_200, 100, 30, 60, 50, 900),
                new SessionRenewed(USER, "s", QUEUE, t0 + 60_200, 90, t0, 100, 60, 120, 120, 900, t0 + 150_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 90_200, 100, 30, 90, 50, 850),
                new SessionRenewed(USER, "s", QUEUE, t0 + 90_200, 120, t0, 100, 90, 150, 150, 850, t0 + 180_000,
                        false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 120_200, 100, 30, 120, 50, 800),
                new SessionRenewed(USER, "s", QUEUE, t0 + 120_200, 150, t0, 100, 120, 180, 180, 800, t0 + 210_000,
                        false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 157_300, 100, 37, 157, 61, 739),
                new SessionRenewed(USER, "s", QUEUE, t0 + 157_300, 180, t0, 100, 157, 217, 217, 739, t0 + 247_000,
                        false),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, t0 + 156_600, 157, 261, 217, 739));
        assertThat(audit(events)).isEmpty();
    }

    @Test
    void aLateRenewThatBillsPastItsOwnReceiveTimeStillBreaksTheBound() {
        // Received at t0 + 20.5 s after a renew at t0 + 30.2 s (billed 30 s), it must bill nothing: 35 s is more than
        // any request of the session saw played.
        long t0 = T + 1000;
        List<Object> events = List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", 1000, 1000, T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, 60, 100, 0, T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, t0, 0, t0, 100, 0, 60, 60, 1000, t0 + 90_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 30_200, 100, 30, 30, 50, 950),
                new SessionRenewed(USER, "s", QUEUE, t0 + 30_200, 60, t0, 100, 30, 90, 90, 950, t0 + 120_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, t0 + 20_500, 100, 5, 35, 8, 942),
                new SessionRenewed(USER, "s", QUEUE, t0 + 20_500, 90, t0, 100, 35, 95, 95, 942, t0 + 125_000, false));
        assertThat(audit(events)).extracting(Finding::kind).contains("billing_bound_exceeded");
    }

    @Test
    void aBalanceThatDoesNotFollowFromTheMoneyEventsIsReportedOnceWithTheSumIdentity() {
        List<Finding> findings = audit(List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d1", 100, 100, T, null),
                new FundsDeposited(USER, "d2", 50, 160, T + 1, null),
                new FundsRefunded(USER, "r", 10, "why", 150, T + 2, null)));
        assertThat(findings).extracting(Finding::kind, Finding::sequence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("balance_mismatch", 2L),
                org.assertj.core.groups.Tuple.tuple("sum_identity_broken", 3L));
    }

    @Test
    void aNegativeBalanceAndAPriceNotInForceAreFound() {
        List<Finding> findings = audit(List.of(new AccountOpened(USER, T),
                new FundsRefunded(USER, "r", 10, "why", -10, T, null),
                new SessionAuthorized(USER, "s", QUEUE, 90, T, T + 60_000)));
        assertThat(findings).extracting(Finding::kind).containsExactly("negative_balance", "price_mismatch");
    }

    /** Deposit 1000, an under-bill session at 100/min with t0 = T + 1 s, stopped after {@code seconds}.5 s. */
    private static List<Object> underBillSession(long seconds, long amount) {
        long stop = T + 1000 + seconds * 1000 + 500;
        return List.of(new AccountOpened(USER, T),
                new FundsDeposited(USER, "d", 1000, 1000, T, null),
                new SessionAuthorized(USER, "s", QUEUE, 100, T, T + 60_000),
                new SessionStarted(USER, "s", QUEUE, BillingMode.UNDER, 60, 100, 0, T, T + 60_000),
                new SessionRenewed(USER, "s", QUEUE, T + 1000, 0, T + 1000, 100, 0, 60, 60, 1000, T + 91_000, false),
                new PlaytimeCharged(USER, "s", QUEUE, stop, 100, seconds, seconds, amount, 1000 - amount),
                new SessionEnded(USER, "s", QUEUE, SessionEndReason.STOPPED, stop, seconds, amount, 60,
                        1000 - amount));
    }

    private static List<Finding> audit(List<Object> payloads) {
        PriceHistory prices = new PriceHistory();
        prices.add(new io.playbill.ledger.api.events.PriceSet(QUEUE, 100, T - 1000, "admin", null));
        Findings findings = new Findings(100);
        replay(USER, payloads, prices, findings);
        return findings.listed();
    }

    private static AccountAudit replay(String user, List<Object> payloads, PriceHistory prices, Findings findings) {
        AccountAudit audit = new AccountAudit(user, prices, findings, new Rollups(), AccountAudit.Wanted.NOTHING);
        for (int i = 0; i < payloads.size(); i++) {
            Object payload = payloads.get(i);
            audit.apply(new AuditEvent(UUID.randomUUID().toString(), user, i, payload.getClass().getName(), payload,
                    Instant.now()));
        }
        audit.finish();
        return audit;
    }
}
