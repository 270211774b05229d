package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.BillingMode;
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
import net.jqwik.api.Tuple;
import org.axonframework.messaging.MetaData;

import java.util.List;

import static io.playbill.ledger.axon.AccountEvents.FINANCE;
import static io.playbill.ledger.axon.AccountEvents.request;

/**
 * Any sequence of requests — up to two sessions at once sharing one balance, out-of-order receive times, price
 * changes, deposits, refunds, adjustments, expiries, reused references — is either decided or refused, never
 * fails, and keeps the money exact. Each try starts with a deposit and two started sessions; four session ids
 * compete for the two places.
 */
class AccountFuzzPropertyTest {

    private static final long T = 1_700_000_000_000L;
    private static final String USER = "alice";
    private static final String QUEUE = "standard";

    enum Kind { AUTHORIZE, START, RENEW, STOP, EXPIRE, DEPOSIT, REFUND, ADJUST, PRICE }

    /** One request, {@code stepMillis} after the previous one (negative: delivered out of order). */
    record Request(Kind kind, int session, int stepMillis, long amount) {
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void everyRequestIsDecidedAndTheMoneyStaysExact(@ForAll("modes") BillingMode mode,
                                                     @ForAll("requests") List<Request> requests) {
        AccountHarness ledger = AccountHarness.fresh(new SessionRules(mode, 60, 2, 600_000));
        ledger.prices().price(QUEUE, T - 3_600_000, 60);
        ledger.send(new Deposit(5000, "opening"), request(USER, T - 1000, FINANCE));
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
            switch (request.kind()) {
                case AUTHORIZE -> ledger.send(new AuthorizeSession(session, QUEUE), byPlayer);
                case START -> ledger.send(new StartSession(session, null), byPlayer);
                case RENEW -> ledger.send(new RenewSession(session, request.amount() % 200), byPlayer);
                case STOP -> ledger.send(new StopSession(session), byPlayer);
                case EXPIRE -> {
                    if (!ledger.events(USER).isEmpty()) {
                        ledger.send(new ExpireSession(USER, session, now));
                    }
                }
                case DEPOSIT -> ledger.send(new Deposit(request.amount(), "ref-" + reference++ % 5), byFinance);
                case REFUND -> ledger.send(new Refund(request.amount(), "ref-" + reference++ % 5, "fuzz"), byFinance);
                case ADJUST -> ledger.send(new Adjust(request.amount() - 2500, "ref-" + reference++ % 5, "fuzz"),
                        byFinance);
                case PRICE -> ledger.prices().price(QUEUE, now, request.amount() % 601);
            }
        }
        PlaytimeBillingPropertyTest.checkMoneyAndReplay(ledger, USER);
    }

    @Provide
    Arbitrary<BillingMode> modes() {
        return Arbitraries.of(BillingMode.UNDER, BillingMode.OVER);
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Kind> kind = Arbitraries.frequency(
                Tuple.of(3, Kind.AUTHORIZE), Tuple.of(3, Kind.START),
                Tuple.of(10, Kind.RENEW), Tuple.of(1, Kind.STOP),
                Tuple.of(1, Kind.EXPIRE), Tuple.of(3, Kind.DEPOSIT),
                Tuple.of(2, Kind.REFUND), Tuple.of(1, Kind.ADJUST),
                Tuple.of(1, Kind.PRICE));
        Arbitrary<Request> request = Combinators.combine(kind, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(-5_000, 40_000), Arbitraries.longs().between(1, 5_000))
                .as(Request::new);
        return request.list().ofMinSize(1).ofMaxSize(60);
    }
}
