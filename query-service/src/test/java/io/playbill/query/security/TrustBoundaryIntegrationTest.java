package io.playbill.query.security;

import io.playbill.query.support.Api;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.trust.AssertionSigner;
import io.playbill.trust.CallerAssertion;
import io.playbill.trust.InternalKey;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trust boundary attacked over real HTTP: query-service answers nobody without the gateway's signed caller
 * assertion for exactly the request, and judges roles on the normalised path.
 */
class TrustBoundaryIntegrationTest extends QueryServiceTest {

    private static final String LIABILITY = "/finance/liability?asOf=2030-01-15T10:00:00Z";

    @Test
    void withoutAnAssertionEveryPathButHealthIs401InJson() {
        for (String path : List.of("/me/account", LIABILITY, "/admin/replays/accounts", "/actuator/metrics",
                "/actuator/info", "/actuator", "/no/such/path", "/error")) {
            Api.Response response = api().send("GET", path, Map.of());
            assertThat(response.error()).as(path).isEqualTo("401 unauthorized");
            assertThat(response.contentType()).as(path).startsWith("application/json");
        }
        assertThat(api().send("POST", "/admin/replays/accounts", Map.of()).error()).isEqualTo("401 unauthorized");
        assertThat(api().send("POST", "/admin/audits", Map.of()).error()).isEqualTo("401 unauthorized");
        for (String probe : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            assertThat(api().send("GET", probe, Map.of()).status()).as(probe).isEqualTo(200);
        }
    }

    @Test
    void theOldIdentityHeadersOpenNothing() {
        Map<String, String> forged = Map.of("X-Playbill-User", "x", "X-Playbill-Roles", "admin");
        assertThat(api().send("GET", LIABILITY, forged).error()).isEqualTo("401 unauthorized");
        assertThat(api().send("GET", "/finance/users/alice/statement", forged).error()).isEqualTo("401 unauthorized");
        assertThat(api().send("POST", "/admin/replays/accounts", forged).error()).isEqualTo("401 unauthorized");
        assertThat(api().send("GET", "/me/account", forged).error()).isEqualTo("401 unauthorized");
    }

    @Test
    void anAssertionSignedWithAnotherKeyIs401() {
        String forged = new AssertionSigner(InternalKey.of("an-attacker-guessed-key-of-32-bytes-or-more"),
                Clock.systemUTC()).sign(new CallerAssertion("x", Set.of("admin"), "GET", "/finance/liability"));

        Api.Response response = api().send("GET", LIABILITY, Map.of(CallerAssertion.HEADER, forged));

        assertThat(response.error()).isEqualTo("401 unauthorized");
        assertThat(response.json().get("error").get("message").asText())
                .isEqualTo("The caller assertion was refused: not signed with the internal key");
    }

    @Test
    void anAssertionOpensOnlyTheRequestItWasSignedFor() {
        String adminReadingHisAccount = api().assertion("GET", "/me/account", "ops", "admin");
        assertThat(api().send("GET", "/me/account", Map.of(CallerAssertion.HEADER, adminReadingHisAccount)).status())
                .isEqualTo(200);

        Api.Response replayedOnLiability = api().send("GET", LIABILITY,
                Map.of(CallerAssertion.HEADER, adminReadingHisAccount));
        assertThat(replayedOnLiability.error()).isEqualTo("401 unauthorized");
        assertThat(replayedOnLiability.json().get("error").get("message").asText()).endsWith("another path");

        String readOfReplays = api().assertion("GET", "/admin/replays/accounts", "ops", "admin");
        Api.Response asAPost = api().send("POST", "/admin/replays/accounts",
                Map.of(CallerAssertion.HEADER, readOfReplays));
        assertThat(asAPost.error()).isEqualTo("401 unauthorized");
        assertThat(asAPost.json().get("error").get("message").asText()).endsWith("another method");

        String oneDaysLiability = api().assertion("GET", "/finance/liability", "asOf=2030-01-15", "fin", "finance");
        assertThat(api().send("GET", "/finance/liability?asOf=2030%2D01%2D15",
                Map.of(CallerAssertion.HEADER, oneDaysLiability)).status())
                .as("the same parameters, encoded otherwise on the way").isEqualTo(200);
        Api.Response anotherDay = api().send("GET", "/finance/liability?asOf=2031-01-15",
                Map.of(CallerAssertion.HEADER, oneDaysLiability));
        assertThat(anotherDay.error()).isEqualTo("401 unauthorized");
        assertThat(anotherDay.json().get("error").get("message").asText()).endsWith("other parameters");
        Api.Response parametersAdded = api().send("GET", LIABILITY,
                Map.of(CallerAssertion.HEADER, api().assertion("GET", "/finance/liability", "fin", "finance")));
        assertThat(parametersAdded.error()).isEqualTo("401 unauthorized");
    }

    /** A form body's fields would be parameters the assertion does not bind: query-service takes none. */
    @Test
    void aFormBodyIsRefusedForItsFieldsWouldBeUnsignedParameters() {
        String auditOfEveryone = api().assertion("POST", "/admin/audits", "ops", "admin");

        Api.Response auditOfAnother = api().send("POST", "/admin/audits", Map.of(CallerAssertion.HEADER,
                auditOfEveryone, "Content-Type", "application/x-www-form-urlencoded"), "user=someone-else");

        assertThat(auditOfAnother.error()).isEqualTo("415 unsupported_media_type");
    }

    @Test
    void anExpiredAssertionIs401() {
        String stale = new AssertionSigner(InternalKey.of(Api.INTERNAL_KEY),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)))
                .sign(new CallerAssertion("fin", Set.of("finance"), "GET", "/finance/liability"));

        Api.Response response = api().send("GET", LIABILITY, Map.of(CallerAssertion.HEADER, stale));

        assertThat(response.error()).isEqualTo("401 unauthorized");
        assertThat(response.json().get("error").get("message").asText()).endsWith("expired");
    }

    @Test
    void rolesAreJudgedOnTheNormalisedPath() {
        assertThat(api().get(LIABILITY, "player", null).error()).isEqualTo("403 forbidden");
        assertThat(api().get(LIABILITY, "player", "support").error()).isEqualTo("403 forbidden");

        // %66 is 'f': Spring matches /finance/** on the decoded path, exactly as it routes the request.
        String encoded = "/%66inance/liability?asOf=2030-01-15T10:00:00Z";
        assertThat(api().get(encoded, "player", null).error()).isEqualTo("403 forbidden");
        assertThat(api().get(encoded, "fin", "finance").status()).as("and it is the finance report").isEqualTo(200);
        assertThat(api().post("/%61dmin/replays/accounts", "fin", "finance").error()).isEqualTo("403 forbidden");
        assertThat(api().get("/actuator/%6Detrics", "fin", "finance").error()).isEqualTo("403 forbidden");
    }

    @Test
    void pathParametersAndOtherNonCanonicalUrlsAre400InJson() {
        for (String path : List.of("/finance;x/liability", "/me;/account", "/finance/./liability",
                "/finance//liability", "/me/../finance/liability", "/finance%25/liability")) {
            Api.Response signed = api().get(path, "fin", "finance");
            assertThat(signed.error()).as(path).isEqualTo("400 bad_request");
            assertThat(signed.contentType()).as(path).startsWith("application/json");
            assertThat(api().send("GET", path, Map.of()).error()).as(path).isEqualTo("400 bad_request");
        }
    }

    @Test
    void actuatorEndpointsOtherThanHealthNeedAdmin() {
        assertThat(api().get("/actuator/metrics", "fin", "finance").error()).isEqualTo("403 forbidden");
        Api.Response metrics = api().get("/actuator/metrics", "ops", "admin");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.json().get("names").toString()).contains("\"jvm.memory.used\"");
    }
}
