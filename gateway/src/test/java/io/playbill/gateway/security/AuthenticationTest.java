package io.playbill.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every /api call needs a valid user JWT (401 otherwise); admin endpoints need a role (403 otherwise). */
class AuthenticationTest extends NoneModeGatewayTest {

    private static final String RENEW = "{\"session\":\"foobar\",\"lastDeadline\":0}";
    private static final String DEPOSIT = "{\"amount\":1000,\"reference\":\"pay-42\"}";

    @Test
    void aMissingTokenIsUnauthorized() {
        assertUnauthorized(http.post("/api/game/renew", null, RENEW));
    }

    @Test
    void anUnsignedTokenIsUnauthorized() {
        assertUnauthorized(http.post("/api/game/renew", UserTokens.unsigned(valid("alice")), RENEW));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsUnauthorized() {
        String forged = UserTokens.hs256("another-secret-of-at-least-32-bytes-long", valid("alice"));

        assertUnauthorized(http.post("/api/game/renew", forged, RENEW));
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        String expired = UserTokens.hs256(UserTokens.DEV_USER_SECRET,
                UserTokens.claims("alice", Instant.now().minus(Duration.ofMinutes(5))));

        HttpResult result = http.post("/api/game/renew", expired, RENEW);

        assertUnauthorized(result);
        assertThat(result.json().at("/error/message").asText()).contains("expired");
    }

    @Test
    void anRs256TokenIsUnauthorizedWhereHs256IsConfigured() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String rs256 = UserTokens.rs256((RSAPrivateKey) generator.generateKeyPair().getPrivate(), valid("alice"));

        assertUnauthorized(http.post("/api/game/renew", rs256, RENEW));
    }

    @Test
    void aTokenWithoutExpiryOrWithAnOverlongSubjectIsUnauthorized() {
        String noExpiry = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder().subject("alice").build());
        String longSubject = UserTokens.of("x".repeat(65));

        assertUnauthorized(http.post("/api/game/renew", noExpiry, RENEW));
        assertUnauthorized(http.post("/api/game/renew", longSubject, RENEW));
        assertThat(http.post("/api/game/renew", UserTokens.of("x".repeat(64)), RENEW).status()).isEqualTo(200);
    }

    @Test
    void aTokenFromAnotherIssuerIsUnauthorized() {
        String otherIssuer = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder(valid("alice"))
                .issuer("https://other-idp.example").build());

        HttpResult result = http.post("/api/game/renew", otherIssuer, RENEW);

        assertUnauthorized(result);
        assertThat(result.json().at("/error/message").asText()).contains("iss");
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthorized() {
        String otherAudience = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder(valid("alice"))
                .audience(List.of("another-app", "yet-another-app")).build());

        HttpResult result = http.post("/api/game/renew", otherAudience, RENEW);

        assertUnauthorized(result);
        assertThat(result.json().at("/error/message").asText()).contains("aud");
    }

    @Test
    void aTokenTheSameProviderIssuedForAnotherClientIsUnauthorized() {
        // An ID token or an access token for another client: right issuer and key, but no aud naming the gateway.
        String noAudience = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder(valid("alice"))
                .audience((String) null).build());
        String roleBearingIdToken = UserTokens.hs256(UserTokens.DEV_USER_SECRET,
                new JWTClaimsSet.Builder(UserTokens.claims("ops", Instant.now().plus(Duration.ofHours(1)), "admin"))
                        .audience("the-shop-frontend").build());

        assertUnauthorized(http.post("/api/game/renew", noAudience, RENEW));
        assertUnauthorized(http.put("/api/admin/prices/standard", roleBearingIdToken, "{\"pricePerMinute\":60}"));
    }

    @Test
    void aTokenWhoseAudiencesIncludeTheGatewayIsAccepted() {
        String severalAudiences = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder(valid("alice"))
                .audience(List.of("the-shop-frontend", UserTokens.DEV_AUDIENCE)).build());

        assertThat(http.post("/api/game/renew", severalAudiences, RENEW).status()).isEqualTo(200);
    }

    @Test
    void aSubjectWithAControlCharacterOrALoneSurrogateIsUnauthorized() {
        // The subject becomes the ledger's user id and Kafka key: a NUL or line break must never get that far.
        for (String subject : List.of("alice\u0000", "ali\nce", "\u0085bob")) {
            HttpResult result = http.post("/api/game/renew", UserTokens.of(subject), RENEW);

            assertUnauthorized(result);
            assertThat(result.json().at("/error/message").asText()).contains("control character");
        }
        String loneSurrogate = UserTokens.hs256Json(UserTokens.DEV_USER_SECRET, "{\"iss\":\"" + UserTokens.DEV_ISSUER
                + "\",\"aud\":\"" + UserTokens.DEV_AUDIENCE + "\",\"sub\":\"alice\\ud800\",\"exp\":"
                + Instant.now().plus(Duration.ofHours(1)).getEpochSecond() + "}");

        HttpResult result = http.post("/api/game/renew", loneSurrogate, RENEW);

        assertUnauthorized(result);
        assertThat(result.json().at("/error/message").asText()).contains("unpaired surrogate");
        // The price list's stream is no account: every game call was refused by the ledger, after being sent.
        HttpResult priceList = http.post("/api/game/renew", UserTokens.of("price-list"), RENEW);
        assertUnauthorized(priceList);
        assertThat(priceList.json().at("/error/message").asText()).contains("price list");
        // Paired surrogates (an emoji) are ordinary text.
        assertThat(http.post("/api/game/renew", UserTokens.of("alice\uD83C\uDFAE"), RENEW).status()).isEqualTo(200);
    }

    @Test
    void aUserWithoutARoleCannotUseAdminEndpoints() {
        assertForbidden(http.post("/api/admin/accounts/bob/deposits", UserTokens.of("alice"), DEPOSIT));
        assertForbidden(http.put("/api/admin/prices/standard", UserTokens.of("alice"), "{\"pricePerMinute\":60}"));
    }

    @Test
    void financeMayMoveMoneyButNotSetPrices() {
        String finance = UserTokens.of("fiona", "finance");

        // Authorised, then refused by billing mode none: proof the role check passed.
        assertThat(http.post("/api/admin/accounts/bob/deposits", finance, DEPOSIT).errorCode())
                .isEqualTo("billing_disabled");
        assertForbidden(http.put("/api/admin/prices/standard", finance, "{\"pricePerMinute\":60}"));
    }

    @Test
    void noOtherSpellingOfAnAdminPathReachesItsHandlerWithoutTheRole() {
        String finance = UserTokens.of("fiona", "finance");
        for (String path : List.of("/api/admin/prices/standard/", "/api/admin//prices/standard",
                "/api/admin/./prices/standard", "/api/admin/x/../prices/standard", "/api/admin/prices/standard;a=b",
                "/api/admin/%70rices/standard", "/api/ADMIN/prices/standard", "/api/Admin/prices/standard")) {
            HttpResult result = http.put(path, finance, "{\"pricePerMinute\":60}");
            assertThat(result.status()).as("%s: %s", path, result).isIn(400, 403, 404);
        }
    }

    @Test
    void rolesMustBeAnArrayOfKnownNames() {
        String rolesAsString = UserTokens.hs256(UserTokens.DEV_USER_SECRET, new JWTClaimsSet.Builder(valid("alice"))
                .claim("roles", "admin").build());

        assertForbidden(http.put("/api/admin/prices/standard", rolesAsString, "{\"pricePerMinute\":60}"));
        assertForbidden(http.put("/api/admin/prices/standard", UserTokens.of("alice", "Admin", "root"),
                "{\"pricePerMinute\":60}"));
    }

    private static JWTClaimsSet valid(String subject) {
        return UserTokens.claims(subject, Instant.now().plus(Duration.ofHours(1)));
    }

    private static void assertUnauthorized(HttpResult result) {
        assertThat(result.status()).as(result.toString()).isEqualTo(401);
        assertThat(result.errorCode()).isEqualTo("unauthorized");
        assertThat(result.header("WWW-Authenticate")).startsWith("Bearer");
    }

    private static void assertForbidden(HttpResult result) {
        assertThat(result.status()).as(result.toString()).isEqualTo(403);
        assertThat(result.errorCode()).isEqualTo("forbidden");
    }
}
