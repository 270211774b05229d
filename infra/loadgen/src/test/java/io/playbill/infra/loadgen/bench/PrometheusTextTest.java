package io.playbill.infra.loadgen.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

    private static final String EXPOSITION = """
            # TYPE requests_seconds histogram
            requests_seconds_count 4
            requests_seconds_count_total{kind="other"} 1000
            requests_seconds_counter 2000
            queue_seconds_count{queue="a"} 2
            queue_seconds_count{queue="b"} 3
            """;

    @Test
    void aSeriesWithoutLabelsIsReadAsWellAsOneWithThem() {
        assertThat(PrometheusText.sum(EXPOSITION, "requests_seconds_count")).isEqualTo(4);
        assertThat(PrometheusText.sum(EXPOSITION, "queue_seconds_count")).isEqualTo(5);
    }

    @Test
    void onlyTheLinesWithEveryLabelAreSummed() {
        assertThat(PrometheusText.sum(EXPOSITION, "queue_seconds_count", "queue=\"b\"")).isEqualTo(3);
        assertThat(PrometheusText.sum(EXPOSITION, "queue_seconds_count", "queue=\"c\"")).isZero();
    }
}
