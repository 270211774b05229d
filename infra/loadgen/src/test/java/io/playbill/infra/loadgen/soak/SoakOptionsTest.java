package io.playbill.infra.loadgen.soak;

import io.playbill.infra.loadgen.simulate.PlayLength;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakOptionsTest {

    @Test
    void theDefaultsAreTheIdleMachineRun() {
        SoakOptions options = SoakOptions.parse(new String[0], Path.of("/home"), "r1");

        assertThat(options.players()).isEqualTo(2000);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(options.instances()).isEqualTo(1);
        assertThat(options.chaos()).containsExactly("command-service", "query-service", "gateway", "postgres");
        assertThat(options.data()).isEqualTo(Path.of("/home/.playbill/soak/r1"));
        assertThat(options.report()).isEqualTo(Path.of("/home/.playbill/reports/soak-r1.json"));
    }

    @Test
    void playersArriveUntilTheLongestGameStillEndsWithinTheRun() {
        PlayLength upTo3Minutes = PlayLength.parse("uniform:60s-180s");

        assertThat(SoakOptions.arrivalRate(2100, Duration.ofMinutes(10), upTo3Minutes)).isEqualTo(5.0);
        assertThat(SoakOptions.arrivalRate(60, Duration.ofMinutes(4), upTo3Minutes)).as("at least half the run")
                .isEqualTo(0.5);
    }

    @Test
    void anUnknownFaultIsRefused() {
        assertThatThrownBy(() -> SoakOptions.parse(new String[]{"--chaos", "gateway,disk"}, Path.of("."), "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'disk'");
    }
}
