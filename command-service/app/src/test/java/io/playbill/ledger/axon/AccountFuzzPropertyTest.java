package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.api.events.PlaytimeCharged;
import io.playbill.ledger.api.events.SessionEndReason;
import io.playbill.ledger.api.events.SessionEnded;
import io.playbill.ledger.api.events.SessionStarted;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation.Adjust;
import io.playbill.ledger.api.messages.LedgerOperation.AuthorizeSession;
import io.playbill.ledger.api.messages.LedgerOperation.Deposit;
import io.playbill.ledger.api.messages.LedgerOperation.Refund;
import io.playbill.ledger.api.messages.LedgerOperation.RenewSession;
import io.playbill.ledger.api.messages.LedgerOperation.StartSession;
import io.playbill.ledger.api.messages.LedgerOperation.StopSession;
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

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.request;

/**
 * Any sequence of requests — up to two sessions at once sharing one balance, out-of-order receive times, price
 * changes, deposits, refunds, adjustments, expiries, reused references — is either decided or refused, never
 * fails, and keeps the money exact. Each try starts with a deposit (often a small one) and starts two sessions;
 * four session ids compete for the two places. The property fails unless the tries covered what it claims.
 */
class AccountFuzzPropertyTest {

    private static final long T = 1_700_000_000_000L;
    private static final String USER = "alice";
    private static final String QUEUE = "standard";

    /** {@code OPEN}: an authorize and then a start of the same session, as a client opens one. */
    enum Kind { AUTHORIZE, START, OPEN, RENEW, STOP, EXPIRE, DEPOSIT, REFUND, ADJUST, PRICE }

    /** One request, {@code stepMillis} after the previous one (negative: delivered out of order). */
    record Request(Kind kind, int session, int stepMillis, long amount) {
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void everyRequestIsDecidedAndTheMoneyStaysExact(@ForAll("modes") BillingMode mode,
                                                     @ForAll("openingDeposits") long openingDeposit,
                                                     @ForAll("requests") List<Request> requests) {
        AccountHarness ledger = AccountHarness.fresh(new SessionRules(mode, 60, 2, 600_000));
        ledger.prices().price(QUEUE, T - 3_600_000, 60);
        ledger.send(new Deposit(openingDeposit, "opening"), request(USER, T - 1000, FINANCE));
        for (String session : List.of("s0", "s1")) {
            ledger.send(new AuthorizeSession(session, QUEUE), request(USER, T));
            ledger.send(new StartSession(session, null), request(USER, T));
        }
        long now = T;
        int reference = 0;
        for (Request request : requests) {
            now += request.stepMillis();
            String session = "s" + request.session();
            MetaData byPlayer = request(USER, now);
            MetaData byFinance = request(USER, now, FINANCE);
            // Refusals come back as answers; anything else thrown (a broken invariant) fails the property.
            Object answer = switch (request.kind()) {
                case AUTHORIZE -> ledger.send(new AuthorizeSession(session, QUEUE), byPlayer);
                case START -> ledger.send(new StartSession(session, null), byPlayer);
                case OPEN -> {
                    Object authorized = ledger.send(new AuthorizeSession(session, QUEUE), byPlayer);
                    yield authorized instanceof LedgerError ? authorized
                            : ledger.send(new StartSession(session, null), byPlayer);
                }
                case RENEW -> ledger.send(new RenewSession(session, request.amount() % 200), byPlayer);
                case STOP -> ledger.send(new StopSession(session), byPlayer);
                case EXPIRE -> ledger.send(new ExpireSession(USER, session, now));
                case DEPOSIT -> ledger.send(new Deposit(request.amount(), "ref-" + reference++ % 5), byFinance);
                case REFUND -> ledger.send(new Refund(request.amount(), "ref-" + reference++ % 5, "fuzz"), byFinance);
                case ADJUST -> ledger.send(new Adjust(request.amount() - 2500, "ref-" + reference++ % 5, "fuzz"),
                        byFinance);
                case PRICE -> {
                    ledger.prices().price(QUEUE, now, request.amount() % 601);
                    yield null;
                }
            };
            if (answer instanceof LedgerError refusal) {
                Statistics.label("refused").collect(refusal.name());
            }
        }
        PlaytimeBillingPropertyTest.checkMoneyAndReplay(ledger, USER);
        collectWhatHappened(ledger.events(USER));
    }

    /**
     * Counts what the tries did, and fails the property unless they did what it claims to cover: every way a
     * session ends, the two later session ids taking a freed place, a reused reference refused, and two sessions
     * charged while both run.
     */
    private static void collectWhatHappened(List<Object> events) {
        Set<String> started = new TreeSet<>();
        Set<String> running = new HashSet<>();
        Set<String> charged = new HashSet<>();
        boolean twoBillingAtOnce = false;
        for (Object event : events) {
            if (event instanceof SessionStarted start) {
                started.add(start.session());
                running.add(start.session());
            } else if (event instanceof PlaytimeCharged charge && running.contains(charge.session())) {
                charged.add(charge.session());
                twoBillingAtOnce |= charged.stream().filter(running::contains).count() >= 2;
            } else if (event instanceof SessionEnded ended) {
                running.remove(ended.session());
                charged.remove(ended.session());
                Statistics.label("session ended").collect(ended.reason().name());
            }
        }
        Statistics.label("session ended").coverage(coverage -> {
            for (SessionEndReason reason : SessionEndReason.values()) {
                coverage.check(reason.name()).count(count -> count > 0);
            }
        });
        Statistics.label("sessions started").collect(String.join(" ", started));
        Statistics.label("sessions started").coverage(coverage -> {
            coverage.checkQuery(values -> values.get(0).toString().contains("s2")).percentage(p -> p >= 10);
            coverage.checkQuery(values -> values.get(0).toString().contains("s3")).percentage(p -> p >= 10);
        });
        Statistics.label("refused").coverage(coverage ->
                coverage.check(LedgerError.REFERENCE_CONFLICT.name()).count(count -> count > 0));
        Statistics.label("two sessions charged while both run").collect(twoBillingAtOnce);
        Statistics.label("two sessions charged while both run").coverage(coverage ->
                coverage.check(true).percentage(p -> p >= 25));
    }

    @Provide
    Arbitrary<BillingMode> modes() {
        return Arbitraries.of(BillingMode.UNDER, BillingMode.OVER);
    }

    /** Often enough little for a session to use up the balance, or for the first two not to start at all. */
    @Provide
    Arbitrary<Long> openingDeposits() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.longs().between(1, 300)),
                Tuple.of(1, Arbitraries.just(5000L)));
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(2, Kind.AUTHORIZE), Tuple.of(2, Kind.START), Tuple.of(3, Kind.OPEN),
                Tuple.of(10, Kind.RENEW), Tuple.of(3, Kind.STOP),
                Tuple.of(3, Kind.EXPIRE), Tuple.of(3, Kind.DEPOSIT),
                Tuple.of(2, Kind.REFUND), Tuple.of(1, Kind.ADJUST),
                Tuple.of(1, Kind.PRICE));
        // Mostly short steps keep sessions renewed long enough to use up a small balance; long ones let them time out.
        Arbitrary<Integer> stepMillis = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-5_000, 10_000)),
                Tuple.of(1, Arbitraries.integers().between(10_000, 40_000)));
        Arbitrary<Request> request = Combinators.combine(kind, Arbitraries.integers().between(0, 3),
                stepMillis, Arbitraries.longs().between(1, 5_000))
                .as(Request::new);
        return request.list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.uniform());
    }
}
