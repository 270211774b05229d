package io.playbill.infra.loadgen.bench.jmh;

import io.playbill.ledger.api.events.BillingMode;
import io.playbill.ledger.domain.billing.Billing;
import io.playbill.ledger.domain.billing.Meter;
import io.playbill.ledger.domain.billing.Renewal;
import io.playbill.ledger.domain.billing.SessionClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of the ledger's billing decision for one renew (the pure rules of io.playbill.ledger.domain.billing, as
 * {@code UserAccount} calls them): a session 10 minutes in, one price change behind it, renewed 30 s after its
 * last renew, in both billing modes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BillingArithmeticBenchmark {

    private static final long START = 1_700_000_000_000L;
    private static final long T0 = START + 4_200;

    private final Billing under = Billing.of(BillingMode.UNDER);
    private final Billing over = Billing.of(BillingMode.OVER);
    private SessionClock clock;
    private Meter underMeter;
    private Meter overMeter;
    private long now;

    @Setup
    public void tenMinutesIntoASession() {
        clock = new SessionClock(START, T0, 60);
        // 600 s granted at 60/min, then 60 s more at 90/min; billed up to 570 s (under) / granted all (over).
        underMeter = Meter.NOTHING_GRANTED.grantUntil(600, 60).grantUntil(660, 90).billUntil(570);
        overMeter = Meter.NOTHING_GRANTED.grantUntil(600, 60).grantUntil(660, 90).billUntil(660);
        now = T0 + 600_500;
    }

    @Benchmark
    public Renewal underBillRenew() {
        // A changing receive time keeps the JIT from folding the decision into a constant.
        return under.renew(clock, underMeter, now++ % 1000 + T0 + 600_000, 90, 1_000_000);
    }

    @Benchmark
    public Renewal overBillRenew() {
        return over.renew(clock, overMeter, now++ % 1000 + START + 630_000, 90, 1_000_000);
    }
}
