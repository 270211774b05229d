package io.playbill.gateway.fairuse;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate and concurrency settings that cannot work stop start-up with a message naming them. */
class FairUseSettingsTest {

    @Test
    void budgetsThatDoNotFitInTheRequestThreadsAreRefused() {
        assertThatThrownBy(() -> gateway("--server.tomcat.threads.max=150", "--playbill.concurrency.game=80"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessageContaining("playbill.concurrency: reads (30) + cloud (30) + game (80) + "
                        + "stops (20) + headroom (20) = 180 must not exceed server.tomcat.threads.max (150)");
    }

    @Test
    void waitingPlacesThatCouldHoldEveryConnectionAreRefused() {
        assertThatThrownBy(() -> gateway("--server.tomcat.max-connections=3000",
                "--playbill.concurrency.game-waiting=1000", "--playbill.concurrency.stops-waiting=1900"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessageContaining("playbill.concurrency: game-waiting (1000) + stops-waiting (1900) "
                        + "+ server.tomcat.threads.max (200) must not exceed server.tomcat.max-connections (3000");
    }

    @Test
    void aRateBelowOneOrAnEmptyBurstIsRefused() {
        assertThatThrownBy(() -> gateway("--playbill.rate-limit.requests-per-second=0",
                "--playbill.rate-limit.burst=0"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessageContaining("playbill.rate-limit.requests-per-second must be between 1 and")
                .hasMessageContaining("playbill.rate-limit.burst must be between 1 and");
    }

    @Test
    void budgetsMustNotBeEmpty() {
        assertThatThrownBy(() -> gateway("--playbill.concurrency.reads=0", "--playbill.concurrency.headroom=0",
                "--playbill.concurrency.stops-waiting=0"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessageContaining("playbill.concurrency.reads must be at least 1")
                .hasMessageContaining("playbill.concurrency.headroom must be at least 1")
                .hasMessageContaining("playbill.concurrency.stops-waiting must be at least 1");
    }

    /** A dev-mode gateway without Kafka or a database: only the settings under test are wrong. */
    private static void gateway(String... settings) {
        String[] args = Stream.concat(Stream.of("--server.port=0", "--playbill.billing.mode=none",
                "--playbill.cloud.enabled=false"), Stream.of(settings)).toArray(String[]::new);
        new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(args).close();
    }
}
