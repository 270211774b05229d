package io.playbill.gateway.token;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Signs the three tokens the cloud-gaming SDK asks the customer backend for (token-spec §2–4). Each carries the
 * base claims {@code iss}, {@code aud} = "mp", {@code iat}, {@code exp}, {@code customer} and a {@code type}.
 *
 * <p>Thread-safe; the HMAC {@link Algorithm} is built once, because the key never changes.
 */
public final class TokenSigner {

    private static final String AUDIENCE = "mp";

    private final Algorithm algorithm;
    private final String issuer;
    private final String customer;
    private final long ttlSeconds;
    private final Clock clock;

    public TokenSigner(TokenProperties settings, Clock clock) {
        this.algorithm = settings.signingAlgorithm().withSecret(settings.secretBytes());
        this.issuer = settings.issuer();
        this.customer = settings.customer();
        this.ttlSeconds = settings.ttl().toSeconds();
        this.clock = clock;
    }

    /** authToken: the user may queue for {@code queue} with this session. */
    public String authToken(String user, String queue, String session) {
        return baseClaims("auth")
                .withClaim("user", user)
                .withClaim("queue", queue)
                .withClaim("session", session)
                .sign(algorithm);
    }

    /** startToken: queueing is over and the game on {@code queue} may start. */
    public String startToken(String session, String queue) {
        return baseClaims("start")
                .withClaim("session", session)
                .withClaim("queue", queue)
                .sign(algorithm);
    }

    /** renewToken: the user may play until {@code deadline} seconds after the first renew. */
    public String renewToken(String session, long deadline) {
        return baseClaims("renew")
                .withClaim("session", session)
                .withClaim("deadline", deadline)
                .sign(algorithm);
    }

    private JWTCreator.Builder baseClaims(String type) {
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return JWT.create()
                .withIssuer(issuer)
                .withAudience(AUDIENCE)
                .withIssuedAt(issuedAt)
                .withExpiresAt(issuedAt.plusSeconds(ttlSeconds))
                .withClaim("customer", customer)
                .withClaim("type", type);
    }
}
