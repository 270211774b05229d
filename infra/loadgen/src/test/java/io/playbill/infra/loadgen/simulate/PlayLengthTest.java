package io.playbill.infra.loadgen.simulate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlayLengthTest {

    @Test
    void fixedAndUniformLengthsParseAndSampleWithinRange() {
        assertThat(PlayLength.parse("fixed:90s").sample(new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(90));
        PlayLength uniform = PlayLength.parse("uniform:60s-3m");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(uniform.sample(random)).isBetween(Duration.ofSeconds(60), Duration.ofMinutes(3));
        }
    }

    @Test
    void aMalformedLengthIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> PlayLength.parse("normal:60s")).hasMessageContaining("uniform:MIN-MAX");
        assertThatThrownBy(() -> PlayLength.parse("uniform:90s-60s")).hasMessageContaining("min <= max");
    }
}
