package io.playbill.gateway.console;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.config.InvalidSettingsException;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A production gateway (no dev mode) with the console's identity provider configured: the dev sign-in does not
 * exist, the console offers the identity provider, and its pages may connect to that provider's token endpoint
 * only. Plain-http identity provider URLs are refused at start-up.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleOutsideDevModeTest {

    private static final String[] PRODUCTION = {
            "--server.port=0", "--playbill.billing.mode=none", "--playbill.cloud.enabled=false",
            "--playbill.internal.key=an-own-internal-key-of-32-bytes-or-more",
            "--playbill.security.user-jwt.hmac-secret=an-own-user-secret-of-32-bytes-or-more",
            "--playbill.security.user-jwt.issuer=https://idp.example/realms/staff",
            "--playbill.security.user-jwt.audiences=playbill-gateway",
            "--playbill.token.issuer=demo", "--playbill.token.customer=moving",
            "--playbill.token.secret=an-own-customer-secret-of-32-bytes-or-more"};

    private static ConfigurableApplicationContext gateway;
    private static GatewayHttp http;

    @BeforeAll
    static void start() {
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(with(
                "--playbill.console.oidc.authorization-uri=https://idp.example/realms/staff/protocol/openid-connect/auth",
                "--playbill.console.oidc.token-uri=https://idp.example:8443/realms/staff/protocol/openid-connect/token",
                "--playbill.console.oidc.client-id=playbill-console",
                "--playbill.console.oidc.parameters.audience=playbill-gateway"));
        http = new GatewayHttp(((WebServerApplicationContext) gateway).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void thereIsNoDevSignIn() {
        HttpResult signIn = http.post("/console/dev-token", null, "{\"user\":\"mallory\",\"roles\":[\"admin\"]}");

        assertThat(signIn.status()).isEqualTo(404);
        assertThat(signIn.errorCode()).isEqualTo("not_found");
        assertThat(signIn.json().has("token")).isFalse();
        assertThat(http.get("/console/config.json", null).json().get("devSignIn").asBoolean()).isFalse();
    }

    @Test
    void theConsoleOffersTheIdentityProviderAndMayTalkToItsTokenEndpointOnly() {
        var oidc = http.get("/console/config.json", null).json().get("oidc");
        assertThat(oidc.get("clientId").asText()).isEqualTo("playbill-console");
        assertThat(oidc.get("scope").asText()).isEqualTo("openid");
        assertThat(oidc.get("parameters").get("audience").asText()).isEqualTo("playbill-gateway");
        assertThat(oidc.get("tokenUri").asText()).endsWith("/openid-connect/token");

        assertThat(http.get("/console/", null).header("Content-Security-Policy"))
                .contains("connect-src 'self' https://idp.example:8443;");
    }

    @Test
    void aPlainHttpIdentityProviderIsRefusedOutsideDevMode(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).run(with(
                "--playbill.console.oidc.authorization-uri=http://idp.example/auth",
                "--playbill.console.oidc.token-uri=http://idp.example/token",
                "--playbill.console.oidc.client-id=playbill-console")))
                .isInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains(
                " - playbill.console.oidc.authorization-uri must be an https:// URL outside dev mode",
                " - playbill.console.oidc.token-uri must be an https:// URL outside dev mode");
    }

    @Test
    void anIncompleteIdentityProviderIsRefused(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).run(with(
                "--playbill.console.oidc.authorization-uri=https://idp.example/auth")))
                .hasRootCauseInstanceOf(InvalidSettingsException.class);

        assertThat(output).contains("playbill.console.oidc: authorization-uri, token-uri and client-id are set together");
    }

    private static String[] with(String... settings) {
        return Stream.concat(Stream.of(PRODUCTION), Stream.of(settings)).toArray(String[]::new);
    }
}
