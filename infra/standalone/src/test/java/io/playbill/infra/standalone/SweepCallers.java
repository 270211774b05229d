package io.playbill.infra.standalone;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import static io.playbill.infra.standalone.HostileInputs.jsonString;

/**
 * Who the hostile sweep calls as, and the {@code Authorization} header each sends. Tokens are put together by hand,
 * not with java-jwt, because the sweep needs claims no JWT library writes (a lone surrogate in {@code sub}, a
 * {@code roles} claim of the wrong type), signed with the dev user key of the standalone platform.
 */
final class SweepCallers {

    private SweepCallers() {
    }

    enum Caller { ANONYMOUS, PLAYER, FINANCE, ADMIN }

    /** What an unauthenticated caller sends instead of a valid token; every one of them must be refused. */
    enum BrokenAuthorization {
        NONE, EMPTY, SCHEME_ONLY, GARBAGE, THREE_DOTS, BASIC, OTHER_KEY, EXPIRED, ALG_NONE, HS512_SAME_KEY,
        NO_AUDIENCE, OTHER_AUDIENCE, OTHER_ISSUER, NO_EXPIRY, NO_SUBJECT, SUBJECT_WITH_NUL, SUBJECT_TOO_LONG,
        SUBJECT_LONE_SURROGATE, SUBJECT_CRLF, TAMPERED_SIGNATURE, TWO_TOKENS, DOUBLE_SPACE, NOT_JSON
    }

    /** A player's {@code roles} claim, as JSON: none of these grants a role. */
    enum PlayerRoles {
        NONE("[]"), UPPER_CASE("[\"ADMIN\"]"), PADDED("[\"admin \"]"), A_STRING("\"admin\""), OTHER("[\"player\"]"),
        NULL_ITEM("[null]"), NUMBER("[1]"), AN_OBJECT("{\"admin\":true}"), NESTED("[[\"admin\"]]"), ABSENT(null);

        private final String json;

        PlayerRoles(String json) {
            this.json = json;
        }
    }

    static String player(int index, PlayerRoles roles) {
        return "Bearer " + signed(claims("sweep-player-" + index, roles.json, Instant.now().plusSeconds(1800)));
    }

    static String finance() {
        return "Bearer " + signed(claims("sweep-finance", "[\"finance\"]", Instant.now().plusSeconds(1800)));
    }

    static String admin() {
        return "Bearer " + signed(claims("sweep-admin", "[\"admin\"]", Instant.now().plusSeconds(1800)));
    }

    /** The header value, or null for no {@code Authorization} header. */
    static String broken(BrokenAuthorization variant) {
        Instant later = Instant.now().plusSeconds(1800);
        String valid = signed(claims("sweep-anonymous", "[\"admin\"]", later));
        return switch (variant) {
            case NONE -> null;
            case EMPTY -> "";
            case SCHEME_ONLY -> "Bearer";
            case GARBAGE -> "Bearer !!not-a-token!!";
            case THREE_DOTS -> "Bearer a.b.c";
            case BASIC -> "Basic " + Base64.getEncoder().encodeToString("ops:ops".getBytes(StandardCharsets.UTF_8));
            case OTHER_KEY -> "Bearer " + jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims("sweep-anonymous",
                    "[\"admin\"]", later), "another-key-of-at-least-32-bytes-0123456789", "HmacSHA256");
            case EXPIRED -> "Bearer " + signed(claims("sweep-anonymous", "[\"admin\"]",
                    Instant.now().minusSeconds(3600)));
            case ALG_NONE -> "Bearer " + b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                    + b64(claims("sweep-anonymous", "[\"admin\"]", later)) + ".";
            case HS512_SAME_KEY -> "Bearer " + jwt("{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
                    claims("sweep-anonymous", "[\"admin\"]", later), DevCredentials.USER_JWT_SECRET, "HmacSHA512");
            case NO_AUDIENCE -> "Bearer " + signed(payload("sweep-anonymous", null, DevCredentials.USER_JWT_ISSUER,
                    later.getEpochSecond()));
            case OTHER_AUDIENCE -> "Bearer " + signed(payload("sweep-anonymous", "another-app",
                    DevCredentials.USER_JWT_ISSUER, later.getEpochSecond()));
            case OTHER_ISSUER -> "Bearer " + signed(payload("sweep-anonymous", DevCredentials.USER_JWT_AUDIENCE,
                    "https://evil.example", later.getEpochSecond()));
            case NO_EXPIRY -> "Bearer " + signed(payload("sweep-anonymous", DevCredentials.USER_JWT_AUDIENCE,
                    DevCredentials.USER_JWT_ISSUER, null));
            case NO_SUBJECT -> "Bearer " + signed(payload(null, DevCredentials.USER_JWT_AUDIENCE,
                    DevCredentials.USER_JWT_ISSUER, later.getEpochSecond()));
            case SUBJECT_WITH_NUL -> "Bearer " + signed(claims("sweep\u0000admin", "[\"admin\"]", later));
            case SUBJECT_TOO_LONG -> "Bearer " + signed(claims("s".repeat(65), "[\"admin\"]", later));
            case SUBJECT_LONE_SURROGATE -> "Bearer " + signed(claims("sweep\uD800", "[\"admin\"]", later));
            case SUBJECT_CRLF -> "Bearer " + signed(claims("sweep\r\nX-Injected: 1", "[\"admin\"]", later));
            case TAMPERED_SIGNATURE -> "Bearer " + valid.substring(0, valid.length() - 2)
                    + (valid.endsWith("AA") ? "BB" : "AA");
            case TWO_TOKENS -> "Bearer " + valid + ", Bearer " + valid;
            case DOUBLE_SPACE -> "Bearer  " + valid;
            case NOT_JSON -> "Bearer " + jwt("{\"alg\":\"HS256\"}", "not json", DevCredentials.USER_JWT_SECRET,
                    "HmacSHA256");
        };
    }

    private static String claims(String subject, String rolesJson, Instant expiry) {
        String payload = payload(subject, DevCredentials.USER_JWT_AUDIENCE, DevCredentials.USER_JWT_ISSUER,
                expiry.getEpochSecond());
        return rolesJson == null ? payload
                : payload.substring(0, payload.length() - 1) + ",\"roles\":" + rolesJson + "}";
    }

    private static String payload(String subject, String audience, String issuer, Long expiry) {
        StringBuilder json = new StringBuilder("{\"iat\":").append(Instant.now().getEpochSecond());
        if (subject != null) {
            json.append(",\"sub\":").append(jsonString(subject));
        }
        if (audience != null) {
            json.append(",\"aud\":").append(jsonString(audience));
        }
        if (issuer != null) {
            json.append(",\"iss\":").append(jsonString(issuer));
        }
        if (expiry != null) {
            json.append(",\"exp\":").append(expiry);
        }
        return json.append('}').toString();
    }

    private static String signed(String payload) {
        return jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, DevCredentials.USER_JWT_SECRET, "HmacSHA256");
    }

    private static String jwt(String header, String payload, String key, String algorithm) {
        String content = b64(header) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return content + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
