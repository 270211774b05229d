package io.playbill.infra.loadgen.soak;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage runs from the first failed call's sending to the first success's answer, per service and place. */
class AvailabilityTest {

    private static final long START = 1_000_000_000L;

    private final Availability availability = new Availability(START);

    @Test
    void anOutageLastsFromTheFirstFailedCallToTheFirstSuccessAfter() {
        availability.record("gateway", "g1", true, at(1), at(1.1));
        availability.record("gateway", "g1", false, at(2), at(2.5));
        availability.record("gateway", "g1", false, at(3), at(3.5));
        availability.record("gateway", "g2", true, at(4), at(4.2));
        availability.record("gateway", "g1", true, at(9), at(9.3));

        assertThat(availability.outages()).containsExactly(new Availability.Outage("gateway", "g1", 2, 9.3, true));
    }

    @Test
    void aServiceStillDownAtTheEndIsReportedUnfinished() {
        availability.record("query-service", "q1", false, at(5), at(6));

        Availability.Outage outage = availability.outages().get(0);
        assertThat(outage.ended()).isFalse();
        assertThat(outage.fromSeconds()).isEqualTo(5);
    }

    private static long at(double seconds) {
        return START + TimeUnit.MILLISECONDS.toNanos((long) (seconds * 1000));
    }
}
