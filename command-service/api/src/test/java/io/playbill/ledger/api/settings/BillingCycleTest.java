package io.playbill.ledger.api.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BillingCycleTest {

    @ParameterizedTest
    @ValueSource(strings = {"PT31S", "PT60S", "PT10M"})
    void wholeSecondsAboveTheRenewMarginAreValid(String cycle) {
        assertThat(BillingCycle.isValid(Duration.parse(cycle))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT30S", "PT1S", "PT0S", "PT-60S", "PT60.5S", "PT45.001S"})
    void atOrBelowTheMarginOrAFractionOfASecondIsRefused(String cycle) {
        assertThat(BillingCycle.isValid(Duration.parse(cycle))).isFalse();
    }

    @Test
    void aMissingCycleIsRefused() {
        assertThat(BillingCycle.isValid(null)).isFalse();
        assertThat(BillingCycle.problem(null)).endsWith("(was not set)");
    }

    @Test
    void theProblemNamesTheRuleAndTheValue() {
        assertThat(BillingCycle.problem(Duration.ofMillis(1500)))
                .isEqualTo("must be a whole number of seconds above the SDK's 30 s renew margin (was 1500 ms)");
    }
}
