package io.playbill.trust;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.RegisteredClaims;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * query-service's side: accepts an assertion only if the {@link InternalKey} signed it with HS256 (no other
 * algorithm, never {@code none}), for this audience, from the gateway, not expired (with
 * {@link CallerAssertion#CLOCK_LEEWAY}), living no longer than {@link CallerAssertion#LIFETIME}, and for exactly
 * the request it arrived with: the same method, the same raw path and the same parameters. Thread-safe.
 */
public final class AssertionVerifier {

    private final JWTVerifier verifier;

    public AssertionVerifier(InternalKey key, Clock clock) {
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(key.hs256())
                .withIssuer(CallerAssertion.ISSUER)
                .withAudience(CallerAssertion.AUDIENCE)
                .withClaimPresence(RegisteredClaims.SUBJECT)
                .withClaimPresence(RegisteredClaims.ISSUED_AT)
                .withClaimPresence(RegisteredClaims.EXPIRES_AT)
                .withClaimPresence(CallerAssertion.ROLES)
                .withClaimPresence(CallerAssertion.METHOD)
                .withClaimPresence(CallerAssertion.PATH)
                .acceptLeeway(CallerAssertion.CLOCK_LEEWAY.toSeconds()))
                .build(clock);
    }

    /** {@link #verify(String, String, String, String)} of a request without parameters. */
    public CallerAssertion verify(String assertion, String method, String rawPath) throws AssertionRefusedException {
        return verify(assertion, method, rawPath, "");
    }

    /**
     * The caller {@code assertion} vouches for, if it was signed for a {@code method} request to {@code rawPath}
     * (the request URI as received: not decoded, no query string) with {@code parameters} (the request's, in
     * {@linkplain CallerAssertion#canonicalParameters canonical form}). An assertion without {@code htq} (from a
     * gateway older than that claim) is good for a request without parameters only.
     */
    public CallerAssertion verify(String assertion, String method, String rawPath, String parameters)
            throws AssertionRefusedException {
        if (assertion == null || assertion.isBlank()) {
            throw new AssertionRefusedException("no assertion");
        }
        DecodedJWT jwt = verified(assertion);
        if (!method.equals(jwt.getClaim(CallerAssertion.METHOD).asString())) {
            throw new AssertionRefusedException("signed for another method");
        }
        if (!rawPath.equals(jwt.getClaim(CallerAssertion.PATH).asString())) {
            throw new AssertionRefusedException("signed for another path");
        }
        String query = parameters == null ? "" : parameters;
        String signedQuery = jwt.getClaim(CallerAssertion.QUERY).asString();
        if (!query.equals(signedQuery == null ? "" : signedQuery)) {
            throw new AssertionRefusedException("signed for other parameters");
        }
        if (Duration.between(jwt.getIssuedAtAsInstant(), jwt.getExpiresAtAsInstant())
                .compareTo(CallerAssertion.LIFETIME) > 0) {
            throw new AssertionRefusedException("valid for longer than " + CallerAssertion.LIFETIME.toSeconds() + " s");
        }
        try {
            List<String> roles = jwt.getClaim(CallerAssertion.ROLES).asList(String.class);
            if (roles == null) {
                throw new AssertionRefusedException("roles is not an array");
            }
            return new CallerAssertion(jwt.getSubject(), Set.copyOf(roles), method, rawPath, query);
        } catch (JWTDecodeException | IllegalArgumentException | NullPointerException e) {
            throw new AssertionRefusedException("malformed claims");
        }
    }

    private DecodedJWT verified(String assertion) throws AssertionRefusedException {
        try {
            return verifier.verify(assertion);
        } catch (TokenExpiredException e) {
            throw new AssertionRefusedException("expired");
        } catch (SignatureVerificationException | AlgorithmMismatchException e) {
            throw new AssertionRefusedException("not signed with the internal key");
        } catch (MissingClaimException e) {
            throw new AssertionRefusedException("no claim " + e.getClaimName());
        } catch (IncorrectClaimException e) {
            throw new AssertionRefusedException("wrong claim " + e.getClaimName());
        } catch (JWTVerificationException e) {
            throw new AssertionRefusedException("malformed");
        }
    }
}
