package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tencentcloudapi.common.Sign;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Plain HTTP to an emulator, for what the SDK cannot send: a broken body, other signed headers, the admin
 * endpoints. Signs with the SDK's own primitives, following Tencent's v3 signing steps.
 */
final class RawGsClient {

    private static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String host;

    RawGsClient(GsEmulator emulator) {
        host = "127.0.0.1:" + emulator.port();
        base = "http://" + host;
    }

    /** Posts {@code body} as {@code action}, signed with the dev key pair over content-type, host and x-tc-action. */
    HttpResponse<String> signedPost(String action, String body) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        String signedHeaders = "content-type;host;x-tc-action";
        String canonicalRequest = "POST\n/\n\n"
                + "content-type:" + CONTENT_TYPE + "\nhost:" + host + "\nx-tc-action:" + action.toLowerCase() + "\n\n"
                + signedHeaders + "\n" + Sign.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        String scope = date + "/gs/tc3_request";
        String stringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n"
                + Sign.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = Sign.hmac256(("TC3" + GsEmulatorConfig.DEV_SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        key = Sign.hmac256(Sign.hmac256(key, "gs"), "tc3_request");
        String signature = HexFormat.of().formatHex(Sign.hmac256(key, stringToSign));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Content-Type", CONTENT_TYPE)
                .header("X-TC-Action", action)
                .header("X-TC-Version", GsActions.API_VERSION)
                .header("X-TC-Timestamp", timestamp)
                .header("X-TC-Region", Sdk.REGION)
                .header("Authorization", "TC3-HMAC-SHA256 Credential=" + GsEmulatorConfig.DEV_SECRET_ID + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body());
    }
}
