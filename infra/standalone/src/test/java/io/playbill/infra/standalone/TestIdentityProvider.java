package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the customer's OpenID Connect identity provider, as the console meets it: an authorization endpoint
 * that signs in a preset user at once and sends the browser back with a code, and a token endpoint that exchanges
 * the code for an access token only with the right PKCE verifier, client id and redirect URI (once). Access tokens
 * are what the dev identity provider issues ({@link DevCredentials#userToken}), so the platform's gateway accepts
 * them. The token endpoint allows the gateway's origin (CORS), as a real provider must for a browser client.
 */
final class TestIdentityProvider implements AutoCloseable {

    static final String CLIENT_ID = "playbill-console";

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile String user = "olga";
    private volatile List<String> roles = List.of("finance");

    private record Grant(String challenge, String redirectUri, String user, List<String> roles) {
    }

    private TestIdentityProvider(HttpServer server) {
        this.server = server;
    }

    static TestIdentityProvider start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestIdentityProvider provider = new TestIdentityProvider(server);
        server.createContext("/authorize", provider::authorize);
        server.createContext("/token", provider::token);
        server.start();
        return provider;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The gateway settings that point the console at this provider. */
    Map<String, String> gatewaySettings() {
        return Map.of("PLAYBILL_CONSOLE_OIDC_AUTHORIZATION_URI", url() + "/authorize",
                "PLAYBILL_CONSOLE_OIDC_TOKEN_URI", url() + "/token",
                "PLAYBILL_CONSOLE_OIDC_CLIENT_ID", CLIENT_ID);
    }

    /** Who the next sign-in at the authorization endpoint is. */
    void signInNextAs(String user, List<String> roles) {
        this.user = user;
        this.roles = List.copyOf(roles);
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(query.get("response_type")) || !CLIENT_ID.equals(query.get("client_id"))
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
                || query.get("state") == null || query.get("redirect_uri") == null) {
            send(exchange, 400, "text/plain", "invalid authorization request: " + query.keySet(), null);
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(query.get("code_challenge"), query.get("redirect_uri"), user, roles));
        String back = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", back);
        send(exchange, 302, "text/plain", "", null);
    }

    private void token(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "POST");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type");
            send(exchange, 204, "text/plain", "", origin);
            return;
        }
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(body.getOrDefault("code", ""));
        if (grant == null || !"authorization_code".equals(body.get("grant_type"))
                || !CLIENT_ID.equals(body.get("client_id")) || !grant.redirectUri().equals(body.get("redirect_uri"))
                || !grant.challenge().equals(s256(body.getOrDefault("code_verifier", "")))) {
            send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}", origin);
            return;
        }
        ObjectNode answer = TestHttp.JSON.createObjectNode()
                .put("access_token", DevCredentials.userToken(grant.user(), grant.roles(), Duration.ofMinutes(30)))
                .put("token_type", "Bearer")
                .put("expires_in", 1800);
        tokensIssued.incrementAndGet();
        send(exchange, 200, "application/json", answer.toString(), origin);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String type, String body, String allowOrigin)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        if (allowOrigin != null && URI.create(allowOrigin).getHost() != null) {
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", allowOrigin);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
