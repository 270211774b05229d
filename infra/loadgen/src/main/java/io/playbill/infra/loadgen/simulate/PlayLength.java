package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.Durations;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long each simulated player wants to play, counted like the SDK's playTime (from the first renew token):
 * {@code fixed:90s} or {@code uniform:60s-180s}.
 */
public record PlayLength(Duration min, Duration max) {

    public PlayLength {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("A play length range needs 0 <= min <= max");
        }
    }

    public static PlayLength parse(String text) {
        if (text.startsWith("fixed:")) {
            Duration length = Durations.parse(text.substring("fixed:".length()));
            return new PlayLength(length, length);
        }
        if (text.startsWith("uniform:")) {
            String[] range = text.substring("uniform:".length()).split("-");
            if (range.length == 2) {
                return new PlayLength(Durations.parse(range[0]), Durations.parse(range[1]));
            }
        }
        throw new IllegalArgumentException("--play-length must be fixed:DURATION or uniform:MIN-MAX (e.g. "
                + "uniform:60s-180s), not '" + text + "'");
    }

    public Duration sample(RandomGenerator random) {
        long span = max.toMillis() - min.toMillis();
        return span == 0 ? min : min.plusMillis(random.nextLong(span + 1));
    }

    @Override
    public String toString() {
        return min.equals(max) ? "fixed:" + min.toMillis() + "ms"
                : "uniform:" + min.toMillis() + "ms-" + max.toMillis() + "ms";
    }
}
