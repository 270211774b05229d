package io.playbill.trust;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The gateway's side: one short-lived signed {@link CallerAssertion} per forwarded request. Thread-safe. */
public final class AssertionSigner {

    private final Algorithm algorithm;
    private final Clock clock;

    public AssertionSigner(InternalKey key, Clock clock) {
        this.algorithm = key.hs256();
        this.clock = clock;
    }

    /** The JWT for {@link CallerAssertion#HEADER}, valid from now for {@link CallerAssertion#LIFETIME}. */
    public String sign(CallerAssertion assertion) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(CallerAssertion.ISSUER)
                .withAudience(CallerAssertion.AUDIENCE)
                .withSubject(assertion.userId())
                .withClaim(CallerAssertion.ROLES, List.copyOf(assertion.roles()))
                .withClaim(CallerAssertion.METHOD, assertion.method())
                .withClaim(CallerAssertion.PATH, assertion.path())
                .withClaim(CallerAssertion.QUERY, assertion.query())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(CallerAssertion.LIFETIME))
                .sign(algorithm);
    }
}
