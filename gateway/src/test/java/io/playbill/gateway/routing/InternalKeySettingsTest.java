package io.playbill.gateway.routing;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read routes cannot run without a strong internal key; the report names the problem, never the key. */
@ExtendWith(OutputCaptureExtension.class)
class InternalKeySettingsTest {

    @Test
    void aMissingInternalKeyStopsStartUp(CapturedOutput output) {
        assertThatThrownBy(() -> gateway("--playbill.internal.key="))
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains("The gateway's settings are invalid:",
                " - playbill.internal.key is not set (PLAYBILL_INTERNAL_KEY)");
    }

    @Test
    void aShortInternalKeyStopsStartUpWithoutBeingPrinted(CapturedOutput output) {
        assertThatThrownBy(() -> gateway("--playbill.internal.key=a-short-internal-key"))
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains(" - playbill.internal.key must be at least 32 bytes");
        assertThat(output).doesNotContain("a-short-internal-key");
    }

    private static void gateway(String... settings) {
        String[] args = new String[settings.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--playbill.billing.mode=none";
        args[2] = "--playbill.cloud.enabled=false";
        System.arraycopy(settings, 0, args, 3, settings.length);
        new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(args).close();
    }
}
