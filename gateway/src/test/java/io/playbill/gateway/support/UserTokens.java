package io.playbill.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * User JWTs as the customer's identity provider (or {@code ./playbill token}) would issue them, made with Nimbus
 * JOSE rather than anything the gateway uses to sign.
 */
public final class UserTokens {

    /** The dev user secret of application-standalone.yml. */
    public static final String DEV_USER_SECRET = "playbill-dev-user-secret-0123456789abcdef0123456789";
    /** The dev issuer and audience of application-standalone.yml. */
    public static final String DEV_ISSUER = "playbill-dev-identity";
    public static final String DEV_AUDIENCE = "playbill-dev-gateway";

    /** A valid one-hour token for {@code user} with {@code roles}, signed with the dev secret. */
    public static String of(String user, String... roles) {
        return hs256(DEV_USER_SECRET, claims(user, Instant.now().plus(Duration.ofHours(1)), roles));
    }

    /** Claims of a token the dev identity provider issued for the gateway (dev issuer and audience). */
    public static JWTClaimsSet claims(String subject, Instant expiresAt, String... roles) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(DEV_ISSUER)
                .audience(DEV_AUDIENCE)
                .issueTime(Date.from(expiresAt.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(expiresAt));
        if (subject != null) {
            claims.subject(subject);
        }
        if (roles.length > 0) {
            claims.claim("roles", List.of(roles));
        }
        return claims.build();
    }

    public static String hs256(String secret, JWTClaimsSet claims) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    public static String hs256(byte[] secret, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, new MACSigner(secret), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(RSAPrivateKey key, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(key), claims);
    }

    /**
     * HS256 over a payload given as raw JSON text, for claims no JSON library would write as asked (a {@code sub}
     * holding the escape of an unpaired surrogate, which a library would replace while encoding UTF-8).
     */
    public static String hs256Json(String secret, String payloadJson) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payloadJson));
            jws.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private UserTokens() {
    }
}
