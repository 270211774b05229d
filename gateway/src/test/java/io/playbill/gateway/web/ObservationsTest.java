package io.playbill.gateway.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.playbill.gateway.support.NoneModeGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway keeps its request metrics but not Spring Security's per-filter observations, nor a long-task timer per
 * request (their CPU cost).
 */
class ObservationsTest extends NoneModeGatewayTest {

    @Autowired
    private ObservationRegistry observations;
    @Autowired
    private MeterRegistry meters;

    @Test
    void springSecurityCreatesNoObservationButRequestsAreObserved() {
        // Every observation created is offered to the registry's predicates: this one records the names it sees.
        Set<String> created = ConcurrentHashMap.newKeySet();
        observations.observationConfig().observationPredicate((name, context) -> {
            created.add(name);
            return true;
        });

        http.get("/api/game/authToken?userId=observed", null);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(created).as("the request's own observation").contains("http.server.requests"));
        assertThat(created).as("no filter, authentication or authorization of Spring Security is observed")
                .noneMatch(name -> name.startsWith("spring.security."));
    }

    @Test
    void aRequestIsTimedWithoutALongTaskTimer() {
        http.get("/api/game/authToken?userId=observed", null);

        // The observation stops after the answer has gone out: wait for the timer rather than race it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(meters.find("http.server.requests").timers()).as("the request's timer").isNotEmpty());
        assertThat(meters.find("http.server.requests.active").longTaskTimers())
                .as("no long-task timer: its per-request bookkeeping costs CPU and nothing reads it")
                .isEmpty();
    }
}
