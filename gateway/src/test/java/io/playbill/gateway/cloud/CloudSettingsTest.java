package io.playbill.gateway.cloud;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import io.playbill.infra.test.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cloud settings are checked at start-up, all problems in one report, the secret key never in it. */
@ExtendWith(OutputCaptureExtension.class)
class CloudSettingsTest {

    @Test
    void badCloudSettingsStopStartUpWithoutPrintingTheSecretKey(CapturedOutput output) {
        PostgresServer.Database database = PlaybillTestInfrastructure.shared().createDatabase("gateway_settings");

        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).profiles("standalone").run(
                "--server.port=0", "--playbill.billing.mode=none", "--playbill.cloud.enabled=true",
                "--playbill.cloud.secret-key=a-cloud-secret-that-stays-hidden",
                "--playbill.cloud.protocol=ftp://", "--playbill.cloud.endpoint=https://gs.example/x",
                "--playbill.cloud.read-timeout=1500ms",
                "--playbill.cloud.trusted-proxies=10.0.0.0/8,proxy.example,10.0.0.0/33",
                "--playbill.cloud.trust-proxy=true",
                "--playbill.cloud.retry.not-ready-attempts=0",
                "--playbill.cloud.stopper.finish-grace=5s",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password()).close())
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains("The gateway's settings are invalid:",
                " - playbill.cloud.secret-id is not set",
                " - playbill.cloud.endpoint must be host or host:port",
                " - playbill.cloud.protocol must be https:// or http://",
                " - playbill.cloud.read-timeout must be 1-60 whole seconds",
                " - playbill.cloud.retry.not-ready-attempts must be 1-10",
                " - playbill.cloud.stopper.finish-grace must be longer than connect-timeout + 2 x read-timeout",
                " - playbill.cloud.trusted-proxies must be IP addresses or CIDR blocks like 10.0.0.0/8 or fc00::/7 "
                        + "(was [proxy.example, 10.0.0.0/33])",
                " - playbill.cloud.trust-proxy is replaced by trusted-proxies: set only trusted-proxies");
        assertThat(output).doesNotContain("a-cloud-secret-that-stays-hidden");
    }
}
