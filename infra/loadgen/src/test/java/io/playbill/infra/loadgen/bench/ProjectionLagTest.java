package io.playbill.infra.loadgen.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionLagTest {

    /** query-service's histogram as Micrometer exposes it (cumulative buckets), with its summary lines beside it. */
    private static final String BEFORE = """
            # HELP playbill_projection_lag_seconds Time from event creation in the ledger to its projection's commit
            # TYPE playbill_projection_lag_seconds histogram
            playbill_projection_lag_seconds{processor="projections",quantile="0.99"} 0.02
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.001"} 0
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.01"} 80
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.1"} 100
            playbill_projection_lag_seconds_bucket{processor="projections",le="1.0"} 100
            playbill_projection_lag_seconds_bucket{processor="projections",le="+Inf"} 100
            playbill_projection_lag_seconds_count{processor="projections"} 100
            playbill_projection_lag_seconds_sum{processor="projections"} 0.9
            """;

    /** 1,000 more events, 900 of them slower than 100 ms and 10 slower than a second. */
    private static final String AFTER = """
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.001"} 0
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.01"} 120
            playbill_projection_lag_seconds_bucket{processor="projections",le="0.1"} 200
            playbill_projection_lag_seconds_bucket{processor="projections",le="1.0"} 1090
            playbill_projection_lag_seconds_bucket{processor="projections",le="+Inf"} 1100
            """;

    @Test
    void aStepsLagIsTheBucketHoldingItsQuantileOfTheEventsProjectedBetweenTwoReadings() {
        ProjectionLag step = ProjectionLag.parse(AFTER).since(ProjectionLag.parse(BEFORE));

        assertThat(step.events()).isEqualTo(1000);
        assertThat(step.atMostMs(0.5)).isEqualTo(1000.0);
        assertThat(step.atMostMs(0.1)).isEqualTo(100.0);
        assertThat(step.atMostMs(0.99)).isEqualTo(1000.0);
        assertThat(step.atMostMs(1.0)).isInfinite();
        assertThat(step.brief()).isEqualTo("p99 <= 1000 ms, max <= beyond the histogram (1,000 events)");
    }

    @Test
    void everyProcessorsBucketsAddUp() {
        String two = """
                playbill_projection_lag_seconds_bucket{processor="projections",le="0.01"} 3
                playbill_projection_lag_seconds_bucket{processor="projections",le="+Inf"} 3
                playbill_projection_lag_seconds_bucket{processor="replay-finance",le="0.01"} 1
                playbill_projection_lag_seconds_bucket{processor="replay-finance",le="+Inf"} 2
                """;

        ProjectionLag lag = ProjectionLag.parse(two);

        assertThat(lag.events()).isEqualTo(5);
        assertThat(lag.atMostMs(0.8)).isEqualTo(10.0);
        assertThat(lag.atMostMs(0.99)).isInfinite();
    }

    @Test
    void noEventProjectedHasNoLag() {
        ProjectionLag none = ProjectionLag.parse(BEFORE).since(ProjectionLag.parse(BEFORE));

        assertThat(none.events()).isZero();
        assertThat(none.atMostMs(0.99)).isNaN();
        assertThat(ProjectionLag.parse("# nothing here\n").events()).isZero();
    }
}
