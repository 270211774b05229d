package io.playbill.infra.standalone;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * DEVELOPMENT-ONLY secrets of the standalone platform. They are public (committed) on purpose so that a fresh
 * clone runs with one command; production sets its own through environment variables (docs/operations.md).
 */
public final class DevCredentials {

    /** HS256 key the gateway accepts user tokens with (stands in for the customer's identity provider). */
    public static final String USER_JWT_SECRET = "playbill-dev-user-secret-0123456789abcdef0123456789";
    /** {@code iss} and {@code aud} of dev user tokens; the gateway requires both (application-standalone.yml). */
    public static final String USER_JWT_ISSUER = "playbill-dev-identity";
    public static final String USER_JWT_AUDIENCE = "playbill-dev-gateway";

    /** Key the gateway signs the SDK's authToken/startToken/renewToken with (the "customer secret"). */
    public static final String CUSTOMER_TOKEN_SECRET = "playbill-dev-customer-secret-0123456789abcdef012";
    public static final String TOKEN_ISSUER = "playbill-dev";
    public static final String TOKEN_CUSTOMER = "playbill-dev";

    /** SecretId/SecretKey the GS emulator accepts and the gateway signs cloud API calls with. */
    public static final String GS_SECRET_ID = "playbill-dev-secret-id";
    public static final String GS_SECRET_KEY = "playbill-dev-secret-key";

    private DevCredentials() {
    }

    /**
     * A user token as the customer's identity provider would issue it for the gateway: {@code iss}, {@code aud},
     * {@code sub}, {@code roles}, expiry.
     */
    public static String userToken(String user, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        return JWT.create()
                .withIssuer(USER_JWT_ISSUER)
                .withAudience(USER_JWT_AUDIENCE)
                .withSubject(user)
                .withClaim("roles", roles)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .sign(Algorithm.HMAC256(USER_JWT_SECRET));
    }
}
