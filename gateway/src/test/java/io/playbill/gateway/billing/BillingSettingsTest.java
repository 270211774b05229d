package io.playbill.gateway.billing;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A billing cycle the SDK cannot renew within stops start-up with the message the ledger gives too. */
class BillingSettingsTest {

    @ParameterizedTest
    @CsvSource({"30s, 30000 ms", "1500ms, 1500 ms", "0, 0 ms"})
    void aCycleNotAboveTheRenewMarginOrNotInWholeSecondsIsRefused(String cycle, String shown) {
        assertThatThrownBy(() -> gateway("--playbill.billing.cycle=" + cycle))
                .hasRootCauseInstanceOf(InvalidSettingsException.class)
                .rootCause().hasMessageContaining("playbill.billing.cycle must be a whole number of seconds above"
                        + " the SDK's 30 s renew margin (was " + shown + ")");
    }

    /** A dev-mode gateway without Kafka or a database: only the setting under test is wrong. */
    private static void gateway(String setting) {
        new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone")
                .run("--server.port=0", "--playbill.billing.mode=none", "--playbill.cloud.enabled=false", setting)
                .close();
    }
}
