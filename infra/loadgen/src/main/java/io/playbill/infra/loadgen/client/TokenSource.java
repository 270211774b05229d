package io.playbill.infra.loadgen.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.infra.standalone.DevCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user tokens the simulated players (and the admin calls) present to the gateway: minted from the
 * standalone platform's development secret, or read from a file for any other identity provider.
 */
public final class TokenSource {

    /** A player's user id (the token's {@code sub}) and bearer token. */
    public record Identity(String userId, String bearer) {
    }

    private final List<Identity> players;
    private final String runId;
    private final Duration ttl;
    private final String admin;
    private final String finance;

    private TokenSource(List<Identity> players, String runId, Duration ttl, String admin, String finance) {
        this.players = players;
        this.runId = runId;
        this.ttl = ttl;
        this.admin = admin;
        this.finance = finance;
    }

    /** Tokens minted on demand for users {@code lg-RUN-N}, fresh per run, so their balances start at zero. */
    public static TokenSource development(String runId, Duration ttl) {
        return new TokenSource(null, runId, ttl, DevCredentials.userToken("loadgen-admin", List.of("admin"), ttl),
                DevCredentials.userToken("loadgen-finance", List.of("finance"), ttl));
    }

    /**
     * One JWT per line (blank lines and {@code #} comments skipped). Tokens whose {@code roles} claim holds
     * {@code admin} are used for the admin calls, one holding {@code finance} (but not admin) for reading balances;
     * the others are the players, in file order.
     */
    public static TokenSource fromFile(Path file) throws IOException {
        List<Identity> players = new ArrayList<>();
        String admin = null;
        String finance = null;
        for (String line : Files.readAllLines(file)) {
            String token = line.trim();
            if (token.isEmpty() || token.startsWith("#")) {
                continue;
            }
            JsonNode claims = Jwts.claims(token);
            if (hasRole(claims, "admin")) {
                admin = admin == null ? token : admin;
            } else if (hasRole(claims, "finance")) {
                finance = finance == null ? token : finance;
            } else {
                players.add(new Identity(claims.path("sub").asText(), token));
            }
        }
        return new TokenSource(List.copyOf(players), null, null, admin, finance);
    }

    /** How many players this source can supply. */
    public int capacity() {
        return players == null ? Integer.MAX_VALUE : players.size();
    }

    public Identity player(int index) {
        if (players != null) {
            return players.get(index);
        }
        String user = "lg-" + runId + "-" + index;
        return new Identity(user, DevCredentials.userToken(user, List.of(), ttl));
    }

    public Optional<String> admin() {
        return Optional.ofNullable(admin);
    }

    /** The token that reads balances through the gateway's finance route: role finance, else the admin one. */
    public String balanceReader() {
        return finance != null ? finance : admin;
    }

    private static boolean hasRole(JsonNode claims, String role) {
        for (JsonNode r : claims.path("roles")) {
            if (role.equals(r.asText())) {
                return true;
            }
        }
        return false;
    }
}
