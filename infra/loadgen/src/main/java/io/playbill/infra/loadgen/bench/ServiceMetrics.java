package io.playbill.infra.loadgen.bench;

import java.util.Map;

/**
 * One reading of the services' metrics, taken before and after the ramp and each of its steps: each service's
 * collector pauses and query-service's projection lag, from one scrape of each service's {@code /actuator/prometheus}.
 *
 * @param gcPauses      per service; a service that did not answer is missing
 * @param projectionLag query-service's; null when it did not answer
 */
record ServiceMetrics(Map<String, GcPauses> gcPauses, ProjectionLag projectionLag) {

    /** The projection lag of the events projected between {@code earlier} and this reading; null without both. */
    ProjectionLag projectionLagSince(ServiceMetrics earlier) {
        return projectionLag == null || earlier.projectionLag == null ? null
                : projectionLag.since(earlier.projectionLag);
    }
}
