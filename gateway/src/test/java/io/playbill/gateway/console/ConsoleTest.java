package io.playbill.gateway.console;

import com.nimbusds.jwt.SignedJWT;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's files are public and locked down by their headers; its data needs a token like any API call; in dev
 * mode (as here: the test profile sets it) the dev sign-in signs tokens the gateway accepts, for the roles asked and
 * nothing more.
 */
class ConsoleTest extends NoneModeGatewayTest {

    @Test
    void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicy() {
        HttpResult page = http.get("/console/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<html lang=\"en\">", "<script type=\"module\" src=\"js/app.js\"></script>");
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'", "form-action 'none'").doesNotContain("unsafe");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

        HttpResult bare = http.send(http.request("/console", null).GET());
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).endsWith("/console/");
        assertThat(http.get("/console/js/app.js", null).header("Content-Type")).contains("javascript");
        assertThat(http.get("/console/console.css", null).status()).isEqualTo(200);
    }

    @Test
    void theChartingLibraryComesFromItsWebJarWithoutAToken() {
        HttpResult echarts = http.get("/webjars/echarts/dist/echarts.esm.min.js", null);

        assertThat(echarts.status()).isEqualTo(200);
        assertThat(echarts.header("Content-Type")).contains("javascript");
        assertThat(echarts.body()).contains("export");
        assertThat(http.get("/webjars/swagger-ui/index.html", null).status())
                .as("only the console's library is opened, not every WebJar").isEqualTo(401);
    }

    @Test
    void theConsoleGetsNoDataWithoutAToken() {
        assertThat(http.get("/api/me/account", null).errorCode()).isEqualTo("unauthorized");
        assertThat(http.get("/api/finance/revenue?from=2030-01-01&to=2030-01-02", null).errorCode())
                .isEqualTo("unauthorized");
        assertThat(http.post("/api/admin/accounts/alice/deposits", null, "{\"amount\":1,\"reference\":\"r\"}")
                .errorCode()).isEqualTo("unauthorized");
        assertThat(http.get("/console/../api/me/account", null).status()).isIn(400, 401);
        assertThat(http.get("/api/me/account", null).header("Content-Security-Policy"))
                .as("the console's headers are for its pages").isNull();
    }

    @Test
    void inDevModeTheSignInMintsATokenTheGatewayAcceptsWithTheAskedRolesOnly() throws Exception {
        HttpResult config = http.get("/console/config.json", null);
        assertThat(config.json().get("devSignIn").asBoolean()).isTrue();
        assertThat(config.json().get("oidc").isNull()).isTrue();

        HttpResult signIn = http.post("/console/dev-token", null, "{\"user\":\"fiona\",\"roles\":[\"finance\"]}");
        assertThat(signIn.status()).as(signIn.body()).isEqualTo(200);
        assertThat(signIn.header("Cache-Control")).contains("no-store");
        var claims = SignedJWT.parse(signIn.token()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("fiona");
        assertThat(claims.getStringListClaim("roles")).containsExactly("finance");
        assertThat(claims.getIssuer()).isEqualTo(UserTokens.DEV_ISSUER);
        assertThat(claims.getAudience()).containsExactly(UserTokens.DEV_AUDIENCE);
        assertThat(Duration.between(Instant.now(), claims.getExpirationTime().toInstant()))
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));

        // Billing mode none: a finance caller reaches the money endpoint (409 billing_disabled), a player does not.
        String deposit = "{\"amount\":1,\"reference\":\"console-1\"}";
        assertThat(http.post("/api/admin/accounts/alice/deposits", signIn.token(), deposit).errorCode())
                .isEqualTo("billing_disabled");
        String player = http.post("/console/dev-token", null, "{\"user\":\"pat\"}").token();
        assertThat(http.post("/api/admin/accounts/alice/deposits", player, deposit).errorCode()).isEqualTo("forbidden");
    }

    @Test
    void theDevSignInRefusesUnknownRolesAndUnusableUserIds() {
        HttpResult root = http.post("/console/dev-token", null, "{\"user\":\"eve\",\"roles\":[\"admin\",\"root\"]}");
        assertThat(root.status()).isEqualTo(400);
        assertThat(root.errorCode()).isEqualTo("invalid_roles");
        // Found by HostileSweepTest in CI run 39: a null role was sorted and answered 500.
        HttpResult nullRole = http.post("/console/dev-token", null, "{\"user\":\"eve\",\"roles\":[null]}");
        assertThat(nullRole.status()).isEqualTo(400);
        assertThat(nullRole.errorCode()).isEqualTo("invalid_roles");

        assertThat(http.post("/console/dev-token", null, "{\"user\":\"eve smith\"}").errorCode())
                .isEqualTo("invalid_user");
        assertThat(http.post("/console/dev-token", null, "{\"user\":\"price-list\"}").errorCode())
                .as("a token every call would refuse").isEqualTo("invalid_user");
        assertThat(http.post("/console/dev-token", null, "{\"roles\":[]}").errorCode()).isEqualTo("invalid_user");
        assertThat(http.send(http.request("/console/dev-token", null).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("user=eve"))).errorCode())
                .isEqualTo("unsupported_media_type");
    }
}
