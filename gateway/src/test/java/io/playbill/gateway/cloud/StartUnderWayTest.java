package io.playbill.gateway.cloud;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code starting} slot counts as a start under way for longer than any start GS's retry settings allow: a start
 * that outlived the guard found its slot given to another start, and its late StopGame (naming only the user) ended
 * that start's game. The fixed two minutes were shorter than a start with the defaults could take.
 */
class StartUnderWayTest {

    @Test
    void withTheDefaultsAStartUnderWayOutlastsTheSlowestStart() {
        // TrylockWorker and CreateSession: each 1 call + 2 transient + 3 "not yet" retries of up to 3 s connect +
        // 2 x 5 s read, with 2 x 2 s and 3 x 1 s of back-off between them; then a StopGame releasing the worker.
        Duration slowest = Duration.ofSeconds(2 * (6 * 13 + 4 + 3) + 13);

        assertThat(CloudPlay.startUnderWay(settings(Map.of()).longestGsStart())).isGreaterThan(slowest);
    }

    @Test
    void slowerSettingsLengthenIt() {
        CloudProperties slow = settings(Map.of("connect-timeout", "60s", "read-timeout", "60s",
                "retry.max-attempts", "10", "retry.max-backoff", "30s", "retry.not-ready-attempts", "10",
                "retry.not-ready-backoff", "10s"));
        Duration slowest = Duration.ofSeconds(2 * (19 * 180 + 9 * 30 + 9 * 10) + 180);

        assertThat(CloudPlay.startUnderWay(slow.longestGsStart())).isGreaterThan(slowest);
    }

    @Test
    void fastSettingsKeepTwoMinutes() {
        CloudProperties fast = settings(Map.of("connect-timeout", "1s", "read-timeout", "1s", "retry.max-attempts",
                "1", "retry.not-ready-attempts", "1"));

        assertThat(CloudPlay.startUnderWay(fast.longestGsStart())).isEqualTo(Duration.ofMinutes(2));
    }

    private static CloudProperties settings(Map<String, String> cloud) {
        Map<String, String> properties = new HashMap<>();
        cloud.forEach((key, value) -> properties.put("playbill.cloud." + key, value));
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("playbill.cloud",
                CloudProperties.class);
    }
}
