package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionRenewed;
import io.playbill.ledger.api.messages.LedgerOperation.AuthorizeSession;
import io.playbill.ledger.api.messages.LedgerOperation.Deposit;
import io.playbill.ledger.api.messages.LedgerOperation.Refund;
import io.playbill.ledger.api.messages.LedgerOperation.RenewSession;
import io.playbill.ledger.api.messages.LedgerOperation.StartSession;
import io.playbill.ledger.api.messages.LedgerOperation.StopSession;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.SessionRules;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.messaging.MetaData;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongConsumer;

import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing guarantees of docs/spec/token-spec.md §5 on the real account aggregate, over random sessions as
 * the client SDK plays them: random reaction times, lost replies and the SDK's retries (including a second
 * {@code lastDeadline = 0}), duplicate deliveries, late deliveries of older requests, price changes, deposits and
 * refunds in between, and a stop at any time.
 *
 * <p><b>Real playtime</b> is how long the cloud game runs: from the startToken (the game starts right after it)
 * until the earlier of the user's stop (sent while the game runs) and t0 + D, where t0 is the first renew's
 * receive time (the SDK's playtime counts from there, spec §4) and D the highest deadline the SDK received: with
 * no newer deadline, the SDK stops the game when its playtime reaches D. Under-bill bills from t0, over-bill from
 * the start; both are compared with real playtime from the start.
 *
 * <p>The SDK sends a renew before its deadline; the gateway may receive it up to 3 s later, possibly after the
 * deadline (which is how an under-bill session gets to use up its balance). A renew whose answer is lost is
 * modelled without that delay: billing counts to the receive time, so a request received after the game had
 * already stopped at an older deadline than the ledger granted would be billed for the delay — an inherent limit
 * of billing by receive time, not checked here.
 */
class PlaytimeBillingPropertyTest {

    private static final String NEVER_STARTED = "never started";

    private static final long T = 1_700_000_000_000L;

    /**
     * When the SDK acts after its previous answer (or after its threshold, deadline − 30 s), and how long its
     * request takes to reach the gateway.
     */
    record Timing(int reactionMillis, int latencyMillis) {
    }

    /** The SDK's next move, and what else happens around it. */
    record Beat(Timing timing, boolean replyLost, boolean deliveredTwice, boolean lostRequestArrivesLate,
                long deposit, long refund, long newPrice) {
    }

    /** @param stopAtBeat the beat at which the user stops the game; -1: the user never stops it */
    record Scenario(long price, long firstDeposit, long cycleSeconds, int startDelayMillis,
                    int firstRenewDelayMillis, boolean firstReplyLost, List<Beat> beats, int stopAtBeat) {
    }

    /** What one simulated session did. */
    record Played(String user, long cycleSeconds, Long realMillis) {
    }

    /**
     * Plays the scenario in {@code mode}, checks the money and the replay, and hands the bound check the milliseconds
     * billed minus those really played, when the session's real playtime is known.
     */
    private void playedAndCheckedIn(BillingMode mode, Scenario scenario,
                                    Function<Played, LongConsumer> bound) {
        AccountHarness ledger = harness(mode, scenario);
        Played played = play(ledger, scenario);

        checkMoneyAndReplay(ledger, played.user());
        collectEndReason(ledger, played.user());
        if (played.realMillis() != null) {
            bound.apply(played).accept(billedSeconds(ledger, played.user()) * 1000 - played.realMillis());
        }
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void underBillNeverChargesMoreThanWasPlayedNorLessThanThirtySecondsPlusACycleBelow(
            @ForAll("scenarios") Scenario scenario) {
        playedAndCheckedIn(BillingMode.UNDER, scenario, played -> billedMinusPlayed ->
                assertThat(billedMinusPlayed).isBetween(-(30 + played.cycleSeconds()) * 1000, 0L));
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void overBillNeverChargesLessThanWasPlayedNorMoreThanThirtySecondsPlusACycleAbove(
            @ForAll("scenarios") Scenario scenario) {
        playedAndCheckedIn(BillingMode.OVER, scenario, played -> billedMinusPlayed ->
                assertThat(billedMinusPlayed).isBetween(0L, (30 + played.cycleSeconds()) * 1000));
    }

    private static AccountHarness harness(BillingMode billing, Scenario scenario) {
        return AccountHarness.fresh(new SessionRules(billing, scenario.cycleSeconds(), 1, 600_000));
    }

    private static Played play(AccountHarness ledger, Scenario scenario) {
        String user = "alice";
        String queue = "standard";
        String session = "s1";
        ledger.prices().price(queue, T - 3_600_000, scenario.price());
        if (scenario.firstDeposit() > 0) {
            ledger.send(new Deposit(scenario.firstDeposit(), "first"), request(user, T - 1000, FINANCE));
        }
        long start = T + scenario.startDelayMillis();
        if (!(ledger.send(new AuthorizeSession(session, queue), request(user, T)) instanceof Answer)
                || !(ledger.send(new StartSession(session, null), request(user, start)) instanceof Answer)) {
            return new Played(user, scenario.cycleSeconds(), null);
        }

        long t0 = start + scenario.firstRenewDelayMillis();
        Object answer = ledger.send(new RenewSession(session, 0), request(user, t0));
        long now = t0;
        if (scenario.firstReplyLost()) {
            now = t0 + 3000;
            answer = ledger.send(new RenewSession(session, 0), request(user, now));
        }
        long held = ((Answer) answer).deadline().value();
        RenewSession lost = null;
        MetaData lostAt = null;
        Long stoppedAt = null;
        for (int i = 0; i < scenario.beats().size(); i++) {
            Beat beat = scenario.beats().get(i);
            boolean stop = i == scenario.stopAtBeat();
            long sentAt = stop ? now + beat.timing().reactionMillis()
                    : Math.max(t0 + (held - 30) * 1000, now) + beat.timing().reactionMillis();
            if (sentAt >= t0 + held * 1000) {
                break; // the SDK's playtime reached its deadline: the game stopped by itself
            }
            // Latency only for renews the SDK gets an answer to: see the class comment.
            long at = stop || beat.replyLost() ? sentAt : sentAt + beat.timing().latencyMillis();
            if (beat.newPrice() >= 0) {
                ledger.prices().price(queue, at, beat.newPrice());
            }
            if (beat.deposit() > 0) {
                ledger.send(new Deposit(beat.deposit(), "deposit-" + at), request(user, at, FINANCE));
            }
            if (beat.refund() > 0) {
                ledger.send(new Refund(beat.refund(), "refund-" + at, "property test"), request(user, at, FINANCE));
            }
            if (stop) {
                ledger.send(new StopSession(session), request(user, at));
                stoppedAt = at;
                break;
            }
            RenewSession renew = new RenewSession(session, held);
            MetaData renewedAt = request(user, at);
            answer = ledger.send(renew, renewedAt);
            if (beat.deliveredTwice()) {
                assertThat(ledger.send(renew, renewedAt)).as("a redelivered request is answered the same")
                        .isEqualTo(answer);
            }
            if (beat.lostRequestArrivesLate() && lost != null) {
                ledger.send(lost, lostAt);
                lost = null;
            }
            if (beat.replyLost()) {
                lost = renew;
                lostAt = renewedAt;
            } else {
                long deadline = ((Answer) answer).deadline().value();
                assertThat(deadline).as("a deadline never shrinks").isGreaterThanOrEqualTo(held);
                held = deadline;
            }
            now = at;
        }
        // Whatever is still active times out, as the expiry scanner would end it.
        ledger.send(new ExpireSession(user, session, Long.MAX_VALUE));
        long end = stoppedAt != null ? stoppedAt : t0 + held * 1000;
        return new Played(user, scenario.cycleSeconds(), end - start);
    }

    /**
     * Σ deposits − Σ charges − Σ refunds ± adjustments is the balance exactly, after every event and at the end;
     * the balance is never negative; replaying the events, or restoring a snapshot, gives the same account.
     */
    static void checkMoneyAndReplay(AccountHarness ledger, String user) {
        long balance = 0;
        for (Object event : ledger.events(user)) {
            if (event instanceof FundsDeposited deposited) {
                balance += deposited.amount().minorUnits();
                assertThat(deposited.balanceAfter().minorUnits()).isEqualTo(balance);
            } else if (event instanceof FundsRefunded refunded) {
                balance -= refunded.amount().minorUnits();
                assertThat(refunded.balanceAfter().minorUnits()).isEqualTo(balance);
            } else if (event instanceof BalanceAdjusted adjusted) {
                balance += adjusted.amount().minorUnits();
                assertThat(adjusted.balanceAfter().minorUnits()).isEqualTo(balance);
            } else if (event instanceof PlaytimeCharged charged) {
                balance -= charged.amount().minorUnits();
                assertThat(charged.balanceAfter().minorUnits()).isEqualTo(balance);
            } else if (event instanceof SessionRenewed renewed) {
                assertThat(renewed.balanceAfter().minorUnits()).isEqualTo(balance);
            } else if (event instanceof SessionEnded ended) {
                assertThat(ended.balanceAfter().minorUnits()).isEqualTo(balance);
            }
            assertThat(balance).as("the balance never goes below zero").isNotNegative();
        }
        if (balance != 0 || !ledger.events(user).isEmpty()) {
            assertThat(ledger.balance(user)).isEqualTo(balance);
            String live = ledger.live(user);
            assertThat(ledger.replayed(user)).as("replaying the events gives the same account").isEqualTo(live);
            assertThat(ledger.restoredFromSnapshot(user)).as("a snapshot restores the same account")
                    .isEqualTo(live);
        }
    }

    /**
     * Counts how the session ended, and fails the property unless the bound above was checked in most tries and every
     * way a session ends occurred: a bound that only holds because no session started proves nothing.
     */
    private static void collectEndReason(AccountHarness ledger, String user) {
        Statistics.label("session ended").collect(endReason(ledger, user));
        Statistics.label("session ended").coverage(coverage -> {
            coverage.check(NEVER_STARTED).percentage(percent -> percent <= 50);
            for (SessionEndReason reason : SessionEndReason.values()) {
                coverage.check(reason.name()).count(count -> count > 0);
            }
        });
    }

    private static String endReason(AccountHarness ledger, String user) {
        return ledger.events(user).stream().filter(SessionEnded.class::isInstance)
                .map(event -> ((SessionEnded) event).reason().name()).findFirst().orElse(NEVER_STARTED);
    }

    private static long billedSeconds(AccountHarness ledger, String user) {
        List<SessionEnded> ended = ledger.events(user).stream().filter(SessionEnded.class::isInstance)
                .map(SessionEnded.class::cast).toList();
        assertThat(ended).as("the session ended exactly once").hasSize(1);
        long charged = ledger.events(user).stream().filter(PlaytimeCharged.class::isInstance)
                .map(PlaytimeCharged.class::cast).mapToLong(charge -> charge.secondsCharged().value()).sum();
        assertThat(charged).as("every billed second was charged once").isEqualTo(ended.get(0).billedSeconds().value());
        return ended.get(0).billedSeconds().value();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Long> price = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.of(1L, 59L, 60L, 61L)), Tuple.of(7, Arbitraries.longs().between(1, 600)));
        Arbitrary<Long> firstDeposit = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(1, 1000)),
                Tuple.of(8, Arbitraries.longs().between(100, 10_000)));
        Arbitrary<Integer> stopAtBeat = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 59)));
        return Combinators.combine(price, firstDeposit, Arbitraries.of(30L, 60L, 90L),
                Arbitraries.integers().between(0, 20_000), Arbitraries.integers().between(0, 30_000),
                rarely(), beat().list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform()),
                stopAtBeat).as(Scenario::new);
    }

    private static Arbitrary<Beat> beat() {
        Arbitrary<Long> money = Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.longs().between(1, 500)));
        Arbitrary<Long> newPrice = Arbitraries.frequencyOf(Tuple.of(15, Arbitraries.just(-1L)),
                Tuple.of(1, Arbitraries.longs().between(0, 600)));
        Arbitrary<Timing> timing = Combinators.combine(Arbitraries.integers().between(1, 6000),
                Arbitraries.integers().between(0, 3000)).as(Timing::new);
        return Combinators.combine(timing, rarely(), rarely(), rarely(), money, money, newPrice).as(Beat::new);
    }

    private static Arbitrary<Boolean> rarely() {
        return Arbitraries.integers().between(1, 8).map(i -> i == 1);
    }
}
