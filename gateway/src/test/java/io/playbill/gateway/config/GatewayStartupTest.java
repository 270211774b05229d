package io.playbill.gateway.config;

import io.playbill.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without the standalone profile there are no secrets, and start-up stops with one readable report. */
@ExtendWith(OutputCaptureExtension.class)
class GatewayStartupTest {

    private static final String ISSUER = "--playbill.security.user-jwt.issuer=https://idp.example";
    private static final String AUDIENCES = "--playbill.security.user-jwt.audiences=playbill-gateway";

    @Test
    void missingTokenSecretsStopStartUpWithOneClearMessage(CapturedOutput output) {
        assertThatThrownBy(() -> gateway("--playbill.security.user-jwt.hmac-secret=a-user-secret-of-32-bytes-or-more",
                ISSUER, AUDIENCES))
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains("APPLICATION FAILED TO START",
                "The gateway's settings are invalid:",
                " - playbill.token.issuer is not set",
                " - playbill.token.customer is not set",
                " - playbill.token.secret is not set",
                "use ./playbill up, which turns on dev mode");
        assertThat(output).doesNotContain("a-user-secret-of-32-bytes-or-more");
    }

    @Test
    void missingUserTokenKeyStopsStartUp(CapturedOutput output) {
        assertThatThrownBy(() -> gateway("--playbill.token.issuer=demo", "--playbill.token.customer=moving",
                "--playbill.token.secret=a-customer-secret-that-stays-hidden-1234", ISSUER, AUDIENCES))
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains("playbill.security.user-jwt: exactly one of hmac-secret, public-key or "
                + "jwk-set-uri must be set to verify user tokens (0 set)");
        assertThat(output).doesNotContain("a-customer-secret-that-stays-hidden-1234");
    }

    /** Runs the gateway as its launcher would, with command-line settings and no profile. */
    private static void gateway(String... settings) {
        String[] args = Stream.concat(Stream.of("--server.port=0", "--playbill.billing.mode=none",
                        "--playbill.internal.key=an-internal-key-of-32-bytes-or-more"), Stream.of(settings))
                .toArray(String[]::new);
        new SpringApplicationBuilder(GatewayApplication.class).run(args).close();
    }
}
