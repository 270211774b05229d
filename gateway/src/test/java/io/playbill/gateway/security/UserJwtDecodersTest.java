package io.playbill.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.playbill.gateway.config.InvalidSettingsException;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user-token verifier configured with an RSA public key, an issuer and two audiences: the key source the HTTP
 * tests do not cover.
 */
class UserJwtDecodersTest {

    private static final String ISSUER = "https://idp.example/realms/players";

    private static KeyPair rsa;
    private static String publicKeyPem;
    private static JwtDecoder decoder;

    @BeforeAll
    static void rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        publicKeyPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        decoder = UserJwtDecoders.create(new UserJwtProperties(null, publicKeyPem, null, ISSUER,
                List.of("playbill-gateway", "playbill-admin-console")), Clock.systemUTC());
    }

    @Test
    void acceptsAnRs256TokenSignedWithTheMatchingPrivateKey() {
        String token = UserTokens.rs256((RSAPrivateKey) rsa.getPrivate(), valid("alice"));

        assertThat(decoder.decode(token).getSubject()).isEqualTo("alice");
    }

    @Test
    void refusesHs256SignedWithThePublicKeyAsSecret() {
        // The classic algorithm confusion: an attacker who knows the public key uses it as an HMAC secret.
        String forged = UserTokens.hs256(publicKeyPem.getBytes(StandardCharsets.US_ASCII), valid("alice"));

        assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
    }

    @Test
    void refusesUnsignedExpiredAndOverlongSubjects() {
        RSAPrivateKey key = (RSAPrivateKey) rsa.getPrivate();
        String unsigned = UserTokens.unsigned(valid("alice"));
        String expired = UserTokens.rs256(key, UserTokens.claims("alice", Instant.now().minus(Duration.ofMinutes(5))));
        String longSubject = UserTokens.rs256(key, valid("u".repeat(65)));
        String noSubject = UserTokens.rs256(key, valid(null));

        assertThatThrownBy(() -> decoder.decode(unsigned)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(expired)).hasMessageContaining("expired");
        assertThatThrownBy(() -> decoder.decode(longSubject)).hasMessageContaining("longer than 64 bytes");
        assertThatThrownBy(() -> decoder.decode(noSubject)).hasMessageContaining("no subject");
        assertThat(decoder.decode(UserTokens.rs256(key, valid("u".repeat(64)))).getSubject()).hasSize(64);
    }

    @Test
    void checksTheExactIssuerAndOneOfTheAudiences() {
        RSAPrivateKey key = (RSAPrivateKey) rsa.getPrivate();
        JWTClaimsSet valid = valid("alice");
        String otherIssuer = UserTokens.rs256(key, new JWTClaimsSet.Builder(valid).issuer(ISSUER + "/").build());
        String noIssuer = UserTokens.rs256(key, new JWTClaimsSet.Builder(valid).issuer(null).build());
        String otherAudience = UserTokens.rs256(key, new JWTClaimsSet.Builder(valid).audience("webshop").build());
        String noAudience = UserTokens.rs256(key, new JWTClaimsSet.Builder(valid).audience((String) null).build());
        String secondAudience = UserTokens.rs256(key, new JWTClaimsSet.Builder(valid)
                .audience(List.of("webshop", "playbill-admin-console")).build());

        assertThatThrownBy(() -> decoder.decode(otherIssuer)).hasMessageContaining("iss claim is not valid");
        assertThatThrownBy(() -> decoder.decode(noIssuer)).hasMessageContaining("iss claim is not valid");
        assertThatThrownBy(() -> decoder.decode(otherAudience)).hasMessageContaining("aud claim is not valid");
        assertThatThrownBy(() -> decoder.decode(noAudience)).hasMessageContaining("aud claim is not valid");
        assertThat(decoder.decode(secondAudience).getSubject()).isEqualTo("alice");
    }

    @Test
    void aKeyThatIsNotPemIsASettingsProblem() {
        assertThatThrownBy(() -> UserJwtDecoders.create(new UserJwtProperties(null, "not a key", null, null, null),
                Clock.systemUTC()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("playbill.security.user-jwt.public-key is not an RSA public key");
    }

    @Test
    void exactlyOneKeySourceMustBeConfigured() {
        assertThatThrownBy(() -> new UserJwtProperties("a-user-secret-of-32-bytes-or-more", publicKeyPem, null, null,
                null))
                .hasMessageContaining("exactly one of hmac-secret, public-key or jwk-set-uri must be set to verify user "
                        + "tokens (2 set)");
        assertThatThrownBy(() -> new UserJwtProperties("too-short", null, null, null, null))
                .hasMessageContaining("hmac-secret must be at least 32 bytes");
        assertThatThrownBy(() -> new UserJwtProperties(null, null, "ftp://idp.example/keys", null, null))
                .hasMessageContaining("jwk-set-uri must be an http(s) URL");
        assertThatThrownBy(() -> new UserJwtProperties(null, publicKeyPem, null, " ", List.of("gateway", "")))
                .hasMessageContaining("issuer must not be blank")
                .hasMessageContaining("audiences entries must not be blank");
    }

    private static JWTClaimsSet valid(String subject) {
        return new JWTClaimsSet.Builder(UserTokens.claims(subject, Instant.now().plus(Duration.ofHours(1))))
                .issuer(ISSUER).audience("playbill-gateway").build();
    }
}
