package io.playbill.gateway.config;

import io.playbill.gateway.ledger.LedgerProperties;
import io.playbill.gateway.routing.QueryServiceProperties;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A range a setting's message names takes the ends it names, and nothing beyond. */
class TimeoutBoundsTest {

    private static final URI QUERY = URI.create("http://127.0.0.1:8082");

    @Test
    void theLedgersTimeoutAndRetryAfterTakeTheEndsTheyName() {
        assertThatCode(() -> ledger(Duration.ofMillis(29_999), Duration.ofHours(1))).doesNotThrowAnyException();
        assertThatCode(() -> ledger(Duration.ofMillis(100), Duration.ofSeconds(1))).doesNotThrowAnyException();
        // Not 30 s itself: the servlet container's timeout of an asynchronous request would win the race.
        assertThatThrownBy(() -> ledger(Duration.ofSeconds(30), Duration.ofSeconds(5)))
                .hasMessageContaining("playbill.ledger.timeout must be at least 100 ms and below 30 s");
        assertThatThrownBy(() -> ledger(Duration.ofSeconds(5), Duration.ofHours(1).plusMillis(1)))
                .hasMessageContaining("playbill.ledger.retry-after must be between 1 s and 1 h");
    }

    @Test
    void queryServicesTimeoutsTakeTheEndsTheyName() {
        assertThatCode(() -> new QueryServiceProperties(QUERY, Duration.ofMinutes(1), Duration.ofMinutes(10)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new QueryServiceProperties(QUERY, Duration.ofMillis(60_001), Duration.ofSeconds(30)))
                .hasMessageContaining("playbill.query-service.connect-timeout must be between 100 ms and 1 min");
        assertThatThrownBy(() -> new QueryServiceProperties(QUERY, Duration.ofSeconds(2),
                Duration.ofMinutes(10).plusMillis(1)))
                .hasMessageContaining("playbill.query-service.read-timeout must be between 100 ms and 10 min");
    }

    private static void ledger(Duration timeout, Duration retryAfter) {
        new LedgerProperties(timeout, retryAfter, Duration.ZERO, null);
    }
}
