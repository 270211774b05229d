package io.playbill.query.audit.rules;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.values.Money;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.playbill.query.audit.rules.AccountEvents.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Under-bill sessions renewed and stopped at random times, charged as token-spec §5 says (each request bills up to
 * the whole seconds played since t0, within what was granted; costs rounded down cumulatively): the replay finds
 * nothing and leaves the deposit minus the cost of all seconds billed; one charge a minor unit too high is found at
 * that charge.
 */
class UnderBillReplayPropertyTest {

    private static final long T = Instant.parse("2031-04-05T10:00:00Z").toEpochMilli();
    private static final long DEPOSIT = 1_000_000;
    private static final long CYCLE_SECONDS = 60;

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void aSessionBilledByTheRulesIsCleanAndCostsItsSecondsOnce(
            @ForAll @IntRange(max = 90_000) int firstRenewAfterMillis,
            @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 90_000) Integer> renewGapsMillis,
            @ForAll @IntRange(min = 1, max = 90_000) int stopAfterMillis) {
        Session session = new Session(firstRenewAfterMillis, renewGapsMillis, stopAfterMillis);
        Findings findings = new Findings(100);
        RuleReplay replay = replay(session.events.auditEvents(), findings);

        assertThat(findings.listed()).isEmpty();
        assertThat(replay.balance()).isEqualTo(DEPOSIT - cost(session.billed));
        coverage(session);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void oneChargeAMinorUnitTooHighIsFoundAtThatCharge(
            @ForAll @IntRange(max = 90_000) int firstRenewAfterMillis,
            @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 90_000) Integer> renewGapsMillis,
            @ForAll @IntRange(min = 1, max = 90_000) int stopAfterMillis,
            @ForAll @IntRange(min = 0, max = 100) int pick) {
        Session session = new Session(firstRenewAfterMillis, renewGapsMillis, stopAfterMillis);
        coverage(session);
        List<AuditEvent> events = new ArrayList<>(session.events.auditEvents());
        List<Integer> charges = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).payload() instanceof PlaytimeCharged) {
                charges.add(i);
            }
        }
        if (charges.isEmpty()) {
            return;
        }
        int index = charges.get(pick % charges.size());
        AuditEvent charged = events.get(index);
        PlaytimeCharged c = (PlaytimeCharged) charged.payload();
        events.set(index, new AuditEvent(charged.eventId(), charged.aggregateId(), charged.sequence(), charged.type(),
                new PlaytimeCharged(c.userId(), c.session(), c.queue(), c.receivedAtMillis(), c.pricePerMinute(),
                        c.secondsCharged(), c.billedSeconds(), c.amount().plus(Money.of(1)),
                        c.balanceAfter()), charged.timestamp()));
        Findings findings = new Findings(100);
        replay(events, findings);

        assertThat(findings.listed()).extracting(Finding::kind, Finding::sequence)
                .containsExactly(tuple("charge_mismatch", (long) index));
    }

    /** Fails the property unless most sessions were charged several times and some stops billed. */
    private static void coverage(Session session) {
        Statistics.label("charges").collect(session.charges >= 2 ? "several" : session.charges == 1 ? "one" : "none");
        Statistics.label("charges").coverage(coverage -> coverage.check("several").percentage(p -> p >= 50));
        Statistics.label("stop").collect(session.stopBilled ? "billed" : "billed nothing");
        Statistics.label("stop").coverage(coverage -> coverage.check("billed").percentage(p -> p >= 20));
    }

    private static RuleReplay replay(List<AuditEvent> events, Findings findings) {
        RuleReplay replay = new RuleReplay(USER, AccountEvents.prices(T), findings);
        events.forEach(replay::apply);
        replay.finish();
        return replay;
    }

    /** Σ of the charges for {@code seconds} at the price, rounded down cumulatively. */
    private static long cost(long seconds) {
        return Math.floorDiv(AccountEvents.PRICE * seconds, 60);
    }

    /** One under-bill session's events, each request billing what the rules say. */
    private static final class Session {
        final AccountEvents events = new AccountEvents(T).deposit(DEPOSIT).start("s", BillingMode.UNDER, 0);
        final long t0;
        long billed;
        long granted;
        int charges;
        boolean stopBilled;

        Session(int firstRenewAfterMillis, List<Integer> renewGapsMillis, int stopAfterMillis) {
            t0 = T + firstRenewAfterMillis;
            long now = t0;
            renew(now);
            for (int gap : renewGapsMillis) {
                now += gap;
                renew(now);
            }
            now += stopAfterMillis;
            stopBilled = bill(now);
            events.stop("s", now);
        }

        private void renew(long now) {
            bill(now);
            granted = billed + CYCLE_SECONDS;
            events.renew("s", now, granted);
        }

        /** Bills up to the whole seconds played since t0, within what was granted; whether it charged. */
        private boolean bill(long now) {
            long due = Math.max(billed, Math.min(Math.floorDiv(now - t0, 1000), granted));
            if (due == billed) {
                return false;
            }
            events.charge("s", now, due - billed, cost(due) - cost(billed));
            billed = due;
            charges++;
            return true;
        }
    }
}
