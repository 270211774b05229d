package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.BillingMode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.playbill.query.audit.rules.AccountEvents.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The rule replay on its own: hand-computed histories at 100/min, clean and broken, without a database or topic. */
class RuleReplayTest {

    private static final long T = Instant.parse("2031-03-04T10:00:00Z").toEpochMilli();

    private final Findings findings = new Findings(100);

    @Test
    void anOverBillSessionChargedUpFrontAndUpToACyclePastNowIsClean() {
        // The free 30 s cost ceil(50) = 50 at the start; the renew 25 s in grants 25 + 60 = 85 s: ceil(141.67) - 50.
        RuleReplay replay = replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.OVER, 30)
                .charge("s", T, 30, 50)
                .charge("s", T + 25_000, 55, 92).renew("s", T + 25_000, 85, 60)
                .stop("s", T + 50_000));
        assertThat(findings.listed()).isEmpty();
        assertThat(replay.balance()).isEqualTo(858);
    }

    /**
     * A game the gateway bills starts its session and renews it at the same instant: over-bill charges the start's
     * free 30 s, then the renew's 30 s to a cycle past now, both received at the start. The renew's charge was taken
     * for a second start charge (seconds not granted yet: a false charge_mismatch on every such game).
     */
    @Test
    void anOverBillStartRenewedAtTheSameInstantIsClean() {
        RuleReplay replay = replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.OVER, 30)
                .charge("s", T, 30, 50)
                .charge("s", T, 30, 50).renew("s", T, 60, 60)
                .stop("s", T + 20_000));
        assertThat(findings.listed()).isEmpty();
        assertThat(replay.balance()).isEqualTo(900);
    }

    /**
     * An event of a type this build does not know (a newer ledger's, during an upgrade) between a renew's charge and
     * the renew: its charge was taken for an orphan, a false charge_mismatch.
     */
    @Test
    void anEventOfAnUnknownTypeBetweenAChargeAndItsRenewChangesNothing() {
        RuleReplay replay = replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.OVER, 30)
                .charge("s", T, 30, 50)
                .charge("s", T + 25_000, 55, 92).add(new AuditEvent.UnknownPayload("io.playbill.SessionNoted", 7))
                .renew("s", T + 25_000, 85, 60)
                .stop("s", T + 50_000));
        assertThat(findings.listed()).isEmpty();
        assertThat(replay.balance()).isEqualTo(858);
    }

    @Test
    void overBillGrantingMoreThanOneCyclePastTheTimeSinceStartBreaksTheBound() {
        replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.OVER, 30)
                .charge("s", T, 30, 50)
                .charge("s", T + 25_000, 60, 100).renew("s", T + 25_000, 90, 65));
        assertThat(findings.listed()).extracting(Finding::kind, Finding::category, Finding::sequence)
                .containsExactly(tuple("billing_bound_exceeded", Finding.INVARIANT, 6L));
    }

    @Test
    void anOverBillStartThatChargesLessThanItGrantsIsAMismatchAtTheStart() {
        replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.OVER, 30).stop("s", T + 1000));
        assertThat(findings.listed()).extracting(Finding::kind, Finding::sequence)
                .containsExactly(tuple("billed_seconds_mismatch", 3L));
    }

    @Test
    void grantedPlaytimeTheBalanceCannotPayForBreaksTheCover() {
        // 60 s granted at 100/min will cost 100; the balance holds 50.
        replay(new AccountEvents(T).deposit(50).start("s", BillingMode.UNDER, 0).renew("s", T + 1000, 60));
        assertThat(findings.listed()).extracting(Finding::kind, Finding::category, Finding::sequence)
                .containsExactly(tuple("grant_not_covered", Finding.INVARIANT, 4L));
    }

    @Test
    void aChargeThatNoCommandOfItsSessionAccountsForIsAMismatchButStillMovesTheBalance() {
        RuleReplay replay = replay(new AccountEvents(T).deposit(1000).start("s", BillingMode.UNDER, 0)
                .renew("s", T + 1000, 60)
                .charge("s", T + 5000, 4, 6).deposit(100));
        assertThat(findings.listed()).extracting(Finding::kind, Finding::sequence)
                .containsExactly(tuple("charge_mismatch", 5L));
        assertThat(replay.balance()).isEqualTo(1094);
    }

    @Test
    void aMissingSequenceAndAnUnreadablePayloadAreInvariants() {
        List<AuditEvent> events = new AccountEvents(T).deposit(10).auditEvents();
        RuleReplay replay = new RuleReplay(USER, AccountEvents.prices(T), findings);
        replay.apply(events.get(0));
        replay.apply(new AuditEvent("e", USER, 2, "x.FundsDeposited",
                new AuditEvent.UndecodablePayload("x.FundsDeposited", "bad json"), Instant.now()));
        replay.finish();
        assertThat(findings.listed()).extracting(Finding::kind, Finding::sequence)
                .containsExactly(tuple("sequence_gap", 2L), tuple("undecodable_event", 2L));
        assertThat(findings.listed().get(0).message()).contains("#1 to #1");
    }

    private RuleReplay replay(AccountEvents account) {
        RuleReplay replay = new RuleReplay(USER, AccountEvents.prices(T), findings);
        account.auditEvents().forEach(replay::apply);
        replay.finish();
        return replay;
    }
}
