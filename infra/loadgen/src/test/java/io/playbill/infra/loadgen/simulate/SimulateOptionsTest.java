package io.playbill.infra.loadgen.simulate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulateOptionsTest {

    private static SimulateOptions parse(String... args) {
        return SimulateOptions.parse(args, Path.of("."), "run");
    }

    @Test
    void byDefaultEveryPlayerArrivesWithinTheFirstHalfOfTheRun() {
        SimulateOptions options = parse("--players", "2000", "--duration", "120s");

        assertThat(options.arrivalRate()).isCloseTo(2000 / 60.0, within(0.001));
        assertThat(options.players() / options.arrivalRate()).isLessThanOrEqualTo(60.0 + 1e-9);
    }

    @Test
    void theDefaultRateIsNeverBelowTenPerSecondAndAGivenRateWins() {
        assertThat(parse("--players", "100", "--duration", "10m").arrivalRate()).isEqualTo(10);
        assertThat(parse("--players", "2000", "--duration", "120s", "--arrival-rate", "5").arrivalRate())
                .isEqualTo(5);
    }
}
