package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's admin API as {@code ./playbill replay} and {@code ./playbill audit} call it: with the admin token
 * {@code PLAYBILL_ADMIN_TOKEN} gives (or {@code --token}, which every local user can read in the process list while
 * the command runs), else a development admin token (user {@code ops}, role {@code admin}) that only a dev-mode
 * gateway accepts.
 */
final class AdminApi {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static final String TOKEN_VARIABLE = "PLAYBILL_ADMIN_TOKEN";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI gateway;
    private final String token;

    AdminApi(String gateway, String token) {
        this.gateway = URI.create(gateway.endsWith("/") ? gateway : gateway + "/");
        this.token = token(token, System.getenv());
    }

    /** The token of {@code --token}, else of {@code PLAYBILL_ADMIN_TOKEN}, else a development admin token. */
    static String token(String option, Map<String, String> environment) {
        if (option != null) {
            return option;
        }
        String variable = environment.get(TOKEN_VARIABLE);
        return variable != null && !variable.isBlank() ? variable.trim() : devAdminToken();
    }

    /** An hour's admin token ({@code ops}) signed with the development user-JWT secret: only a dev gateway takes it. */
    static String devAdminToken() {
        return DevCredentials.userToken("ops", List.of("admin"), Duration.ofHours(1));
    }

    /**
     * {@code http://127.0.0.1:$PLAYBILL_GATEWAY_PORT} (8080), where {@code ./playbill up} serves the gateway, or the
     * address of {@code PLAYBILL_GATEWAY_ADDRESS} when that is one interface's.
     */
    static String defaultGateway() {
        String port = System.getenv("PLAYBILL_GATEWAY_PORT");
        return "http://" + ServiceProcess.reachableHost(System.getenv("PLAYBILL_GATEWAY_ADDRESS")) + ":"
                + (port == null || port.isBlank() ? "8080" : port.trim());
    }

    Answer post(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), timeout);
    }

    Answer put(String path, String json, Duration timeout) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), timeout);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).GET(), Duration.ofSeconds(30));
    }

    private Answer send(HttpRequest.Builder request, Duration timeout) {
        HttpRequest built = request.timeout(timeout).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (ConnectException e) {
            throw new IllegalStateException("Cannot reach the gateway at " + gateway + " (is ./playbill up running?"
                    + " --gateway URL chooses another)");
        } catch (IOException e) {
            throw new IllegalStateException("Calling " + built.uri() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted");
        }
    }

    /** An HTTP status and its body. */
    record Answer(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("The gateway answered " + status + " with no JSON: " + body);
            }
        }

        /** The JSON body of a 2xx answer; otherwise the error's message as an exception. */
        JsonNode ok(String what) {
            if (status / 100 != 2) {
                JsonNode error = body.isBlank() ? null : json().path("error");
                String detail = error == null || error.isMissingNode() ? body
                        : error.path("code").asText() + ": " + error.path("message").asText();
                throw new IllegalStateException(what + " failed (HTTP " + status + "): " + detail);
            }
            return json();
        }
    }
}
