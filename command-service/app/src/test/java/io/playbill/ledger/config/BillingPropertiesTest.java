package io.playbill.ledger.config;

import io.playbill.ledger.api.events.BillingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code playbill.billing.*} binds as the gateway binds it, and a cycle the gateway refuses stops the ledger too. */
class BillingPropertiesTest {

    @EnableConfigurationProperties(BillingProperties.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theDefaultsAreUnderBillingWithASixtySecondCycle() {
        context.run(started -> {
            BillingProperties billing = started.getBean(BillingProperties.class);
            assertThat(billing.mode()).isEqualTo(BillingMode.UNDER);
            assertThat(billing.cycle()).isEqualTo(Duration.ofSeconds(60));
        });
    }

    @Test
    void aBareNumberIsSecondsAndTheModeIsReadInAnyCase() {
        context.withPropertyValues("playbill.billing.mode=OVER", "playbill.billing.cycle=90").run(started -> {
            BillingProperties billing = started.getBean(BillingProperties.class);
            assertThat(billing.mode()).isEqualTo(BillingMode.OVER);
            assertThat(billing.cycle()).isEqualTo(Duration.ofSeconds(90));
        });
    }

    @ParameterizedTest
    @CsvSource({"30s, 30000 ms", "1500ms, 1500 ms", "0, 0 ms"})
    void aCycleNotAboveTheRenewMarginOrNotInWholeSecondsStopsTheStart(String cycle, String shown) {
        context.withPropertyValues("playbill.billing.cycle=" + cycle).run(started -> assertThat(started)
                .hasFailed().getFailure().rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("playbill.billing.cycle must be a whole number of seconds above the SDK's 30 s renew"
                        + " margin (was " + shown + ")"));
    }
}
