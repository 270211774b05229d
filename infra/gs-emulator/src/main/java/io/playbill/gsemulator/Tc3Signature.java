package io.playbill.gsemulator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request's TencentCloud API v3 signature (TC3-HMAC-SHA256) against the one configured key pair.
 *
 * <p>The credential scope (date and service) is read from the Authorization header rather than assumed: the SDK
 * takes the service from the first label of the endpoint it is given, so a client pointed at 127.0.0.1 signs
 * for service "127", not "gs".
 */
final class Tc3Signature {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final String ALGORITHM = "TC3-HMAC-SHA256";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final Pattern AUTHORIZATION = Pattern.compile(ALGORITHM
            + " Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/([^/]+)/tc3_request\\s*,"
            + "\\s*SignedHeaders=([a-z0-9;-]+)\\s*,\\s*Signature=(\\S+)");

    private final String secretId;
    private final byte[] secretKey;
    private final Clock clock;

    Tc3Signature(String secretId, String secretKey, Clock clock) {
        this.secretId = secretId;
        this.secretKey = ("TC3" + secretKey).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /**
     * Throws the error the real API answers when the request is not signed by the configured key pair within
     * {@link #MAX_SKEW} of now.
     *
     * @param header looks up a request header by name, case-insensitively; null when absent
     */
    void verify(String method, UnaryOperator<String> header, byte[] body) {
        String authorization = header.apply("Authorization");
        Matcher auth = AUTHORIZATION.matcher(authorization == null ? "" : authorization.trim());
        if (!auth.matches()) {
            throw new GsApiException("AuthFailure.InvalidAuthorization",
                    "Authorization must read '" + ALGORITHM + " Credential=<SecretId>/<date>/<service>/tc3_request,"
                            + " SignedHeaders=<names>, Signature=<hex>'.");
        }
        String date = auth.group(2);
        String service = auth.group(3);
        String signedHeaders = auth.group(4);
        if (!secretId.equals(auth.group(1))) {
            throw new GsApiException("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
        }
        String timestamp = header.apply("X-TC-Timestamp");
        Instant signedAt = parseTimestamp(timestamp);
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw new GsApiException("AuthFailure.SignatureExpire", "Signature expired: X-TC-Timestamp " + timestamp
                    + " is more than " + MAX_SKEW.toSeconds() + " s away from the server time " + clock.instant() + ".");
        }
        if (!date.equals(LocalDate.ofInstant(signedAt, ZoneOffset.UTC).toString())) {
            throw new GsApiException("AuthFailure.SignatureFailure",
                    "The credential date " + date + " is not the UTC date of X-TC-Timestamp.");
        }
        List<String> names = Arrays.asList(signedHeaders.split(";"));
        if (!names.contains("content-type") || !names.contains("host")) {
            throw new GsApiException("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host.");
        }

        String canonicalRequest = method + "\n/\n\n" // the SDK always posts to "/" without a query string
                + canonicalHeaders(names, header) + "\n"
                + signedHeaders + "\n"
                + sha256Hex(payloadToHash(header, body));
        String scope = date + "/" + service + "/tc3_request";
        String stringToSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] signingKey = hmac(hmac(hmac(secretKey, date), service), "tc3_request");
        String expected = HexFormat.of().formatHex(hmac(signingKey, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.group(5).getBytes(StandardCharsets.US_ASCII))) {
            throw new GsApiException("AuthFailure.SignatureFailure",
                    "The provided credentials could not be validated: check the SecretKey and the signing steps.");
        }
    }

    private static Instant parseTimestamp(String timestamp) {
        if (timestamp == null) {
            throw new GsApiException("MissingParameter", "The request is missing the header X-TC-Timestamp.");
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException e) {
            throw new GsApiException("InvalidParameterValue", "X-TC-Timestamp must be Unix seconds, not " + timestamp + ".");
        }
    }

    /** One "name:value\n" line per signed header; values lower-cased and trimmed as the v3 signing spec says. */
    private static String canonicalHeaders(List<String> names, UnaryOperator<String> header) {
        StringBuilder lines = new StringBuilder();
        for (String name : names) {
            String value = header.apply(name);
            lines.append(name).append(':')
                    .append(value == null ? "" : value.trim().toLowerCase(Locale.ROOT)).append('\n');
        }
        return lines.toString();
    }

    /** ClientProfile.setUnsignedPayload(true) makes the SDK sign the literal UNSIGNED-PAYLOAD instead of the body. */
    private static byte[] payloadToHash(UnaryOperator<String> header, byte[] body) {
        return UNSIGNED_PAYLOAD.equals(header.apply("X-TC-Content-SHA256"))
                ? UNSIGNED_PAYLOAD.getBytes(StandardCharsets.US_ASCII)
                : body;
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }
}
