package io.playbill.gateway.web;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.playbill.gateway.support.NoneModeGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway keeps its request metrics but not Spring Security's per-filter observations (their CPU cost). */
class ObservationsTest extends NoneModeGatewayTest {

    @Autowired
    private ObservationRegistry observations;

    @Test
    void springSecurityIsNotObservedButRequestsAre() {
        assertThat(Observation.createNotStarted("spring.security.filterchains", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("spring.security.authentications", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("http.server.requests", observations).isNoop()).isFalse();
    }
}
