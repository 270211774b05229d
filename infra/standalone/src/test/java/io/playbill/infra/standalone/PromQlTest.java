package io.playbill.infra.standalone;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The selectors DashboardMetricsTest checks are read from PromQL as written in dashboards and alerts. */
class PromQlTest {

    @Test
    void metricsAreFoundThroughFunctionsAggregationsAndGroupings() {
        assertThat(PromQl.selectors("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket"
                + "{job=\"gateway\",uri=\"/api/game/renew\"}[$__rate_interval])))"))
                .containsExactly(new PromQl.Selector("http_server_requests_seconds_bucket",
                        Map.of("job", "gateway", "uri", "/api/game/renew")));
        assertThat(PromQl.selectors("sum(rate(a_total{job=\"x\",outcome!~\"accepted|b\"}[5m])) > 0.05 * "
                + "sum without (instance) (rate(a_total[1d] offset 1d)) and on (job) up == 0"))
                .extracting(PromQl.Selector::metric).containsExactly("a_total", "a_total", "up");
        assertThat(PromQl.selectors("max by (partition) (lag_records)").get(0).equalLabels()).isEmpty();
        assertThat(PromQl.selectors("sum by (job, instance) (jvm_memory_used_bytes{area=\"heap\"}) / 1e6"))
                .containsExactly(new PromQl.Selector("jvm_memory_used_bytes", Map.of("area", "heap")));
    }

    @Test
    void aSelectorWithoutAMetricNameIsRefused() {
        assertThatThrownBy(() -> PromQl.selectors("sum(rate({__name__=~\"playbill_.*\"}[5m]))"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
