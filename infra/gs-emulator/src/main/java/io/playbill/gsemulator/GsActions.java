package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The emulated GS actions: each checks its parameters, applies itself to the worker pools and returns the
 * fields of its Response (the caller adds RequestId). Parameters the emulator has no use for (UserIp, GroupId,
 * SetNo, GameParas, Resolution, ...) are accepted and ignored.
 */
final class GsActions {

    static final String API_VERSION = "2019-11-18";
    static final String TRYLOCK_WORKER = "TrylockWorker";
    static final String CREATE_SESSION = "CreateSession";
    static final String STOP_GAME = "StopGame";

    private static final String PLAYER = "Player";

    private final WorkerPools pools;
    private final Map<String, Function<JsonNode, Map<String, String>>> byName;

    GsActions(WorkerPools pools) {
        this.pools = pools;
        this.byName = Map.of(
                TRYLOCK_WORKER, this::trylockWorker,
                CREATE_SESSION, this::createSession,
                STOP_GAME, this::stopGame);
    }

    Set<String> names() {
        return byName.keySet();
    }

    /** The action called {@code name}, or the InvalidAction error the real API answers for one it does not have. */
    Function<JsonNode, Map<String, String>> find(String name) {
        Function<JsonNode, Map<String, String>> action = byName.get(name);
        if (action == null) {
            throw new GsApiException("InvalidAction", "The action " + name + " is not emulated; only " + names()
                    + " of GS " + API_VERSION + " are.");
        }
        return action;
    }

    private Map<String, String> trylockWorker(JsonNode params) {
        pools.trylock(required(params, "UserId"), pool(params));
        return Map.of();
    }

    private Map<String, String> createSession(JsonNode params) {
        String userId = required(params, "UserId");
        WorkerPools.PoolKey pool = pool(params);
        String clientSession = required(params, "ClientSession");
        String role = optional(params, "Role");
        if (!role.isEmpty() && !role.equals(PLAYER)) {
            throw new GsApiException("InvalidParameterValue", "Only Role=Player is emulated, not " + role + ".");
        }
        String workerId = pools.createSession(userId, pool);
        return Map.of("ServerSession", serverSession(workerId, clientSession), "Role", PLAYER);
    }

    private Map<String, String> stopGame(JsonNode params) {
        pools.stop(required(params, "UserId"));
        return Map.of();
    }

    /** Opaque to clients like the real one, but decodable in a test: "gs-emulator|workerId|ClientSession". */
    private static String serverSession(String workerId, String clientSession) {
        return Base64.getEncoder().encodeToString(
                ("gs-emulator|" + workerId + "|" + clientSession).getBytes(StandardCharsets.UTF_8));
    }

    private static WorkerPools.PoolKey pool(JsonNode params) {
        return new WorkerPools.PoolKey(required(params, "GameId"), optional(params, "GameRegion"));
    }

    private static String required(JsonNode params, String name) {
        String value = optional(params, name);
        if (value.isEmpty()) {
            throw new GsApiException("MissingParameter", "The request is missing a required parameter `" + name + "`.");
        }
        return value;
    }

    /** The string parameter {@code name}, or "" when absent, null or blank. */
    private static String optional(JsonNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new GsApiException("InvalidParameterValue", "The parameter `" + name + "` must be a string.");
        }
        return value.asText().strip();
    }
}
