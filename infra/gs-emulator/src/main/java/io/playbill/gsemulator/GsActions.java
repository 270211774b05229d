package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The emulated GS actions: each checks its parameters as the API documents them, applies itself to the worker pools
 * and returns the fields of its Response (the caller adds RequestId). Parameters with no effect in the emulator
 * (GroupId, GameParas, ImageUrl, GameContext, HostUserId, deprecated ones, ...) are still type-checked, then ignored.
 */
final class GsActions {

    static final String API_VERSION = "2019-11-18";
    static final String TRYLOCK_WORKER = "TrylockWorker";
    static final String CREATE_SESSION = "CreateSession";
    static final String STOP_GAME = "StopGame";

    static final String RUN_WITHOUT_CLIENT = "RunWithoutClient";
    static final Set<Long> FPS_VALUES = Set.of(30L, 45L, 60L, 90L, 120L, 144L);
    /** Bounds of MaxBitrate/MinBitrate (Mbps). The API page gives none; these catch a kbit/s value sent by mistake. */
    static final long MIN_MBPS = 1;
    static final long MAX_MBPS = 100;

    private static final String PLAYER = "Player";
    private static final String VIEWER = "Viewer";
    private static final Pattern RESOLUTION = Pattern.compile("1080p|720p|[1-9]\\d{1,4}x[1-9]\\d{1,4}");

    private final WorkerPools pools;
    private final Map<String, Function<Params, Map<String, String>>> byName;

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
        Function<Params, Map<String, String>> action = byName.get(name);
        if (action == null) {
            throw new GsApiException("InvalidAction", "The action " + name + " is not emulated; only " + names()
                    + " of GS " + API_VERSION + " are.");
        }
        return body -> action.apply(new Params(body));
    }

    private Map<String, String> trylockWorker(Params params) {
        String userId = params.requiredString("UserId");
        String gameId = params.requiredString("GameId");
        String gameRegion = params.optionalString("GameRegion");
        params.optionalIp("UserIp");
        String groupId = params.optionalString("GroupId");
        params.optionalInteger("SetNo"); // deprecated
        pools.trylock(userId, gameId, gameRegion, groupId);
        return Map.of();
    }

    private Map<String, String> createSession(Params params) {
        String userId = params.requiredString("UserId");
        // Deprecated here ("only TrylockWorker's counts"): the lock is found by UserId. The API page still marks
        // GameId required, so a caller that drops it would be refused by the cloud.
        params.requiredString("GameId");
        params.optionalString("GameRegion");
        String clientSession = clientSession(params);
        checkResolution(params.optionalString("Resolution"));
        checkFps(params.optionalInteger("Fps"));
        checkBitrates(params.optionalInteger("MinBitrate"), params.optionalInteger("MaxBitrate"));
        params.optionalIp("UserIp");
        checkRole(params.optionalString("Role"));
        params.optionalString("HostUserId");
        params.optionalString("GameParas");
        params.optionalString("ImageUrl");
        params.optionalString("GameContext");
        params.optionalInteger("Bitrate"); // deprecated
        params.optionalInteger("SetNo"); // deprecated
        params.optionalInteger("Optimization"); // deprecated

        String workerId = pools.createSession(userId);
        return Map.of("ServerSession", serverSession(workerId, clientSession), "Role", PLAYER);
    }

    private Map<String, String> stopGame(Params params) {
        String userId = params.requiredString("UserId");
        params.optionalString("HostUserId");
        pools.stop(userId);
        return Map.of();
    }

    /** Required, unless RunMode=RunWithoutClient keeps the game running with no client attached. */
    private static String clientSession(Params params) {
        String runMode = params.optionalString("RunMode");
        if (runMode.isEmpty()) {
            return params.requiredString("ClientSession");
        }
        if (!runMode.equals(RUN_WITHOUT_CLIENT)) {
            throw Params.invalid("RunMode must be empty or " + RUN_WITHOUT_CLIENT + ", not " + runMode + ".");
        }
        return params.optionalString("ClientSession");
    }

    private static void checkResolution(String resolution) {
        if (!resolution.isEmpty() && !RESOLUTION.matcher(resolution).matches()) {
            throw Params.invalid("Resolution must be 1080p, 720p or WIDTHxHEIGHT such as 1920x1080, not "
                    + resolution + ".");
        }
    }

    private static void checkFps(OptionalLong fps) {
        if (fps.isPresent() && !FPS_VALUES.contains(fps.getAsLong())) {
            throw Params.invalid("Fps must be one of 30, 45, 60, 90, 120, 144, not " + fps.getAsLong() + ".");
        }
    }

    private static void checkBitrates(OptionalLong min, OptionalLong max) {
        checkMbps("MinBitrate", min);
        checkMbps("MaxBitrate", max);
        if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            throw Params.invalid("MinBitrate (" + min.getAsLong() + ") must not exceed MaxBitrate ("
                    + max.getAsLong() + ").");
        }
    }

    private static void checkMbps(String name, OptionalLong mbps) {
        if (mbps.isPresent() && (mbps.getAsLong() < MIN_MBPS || mbps.getAsLong() > MAX_MBPS)) {
            throw Params.invalid(name + " is in Mbps and must be " + MIN_MBPS + "-" + MAX_MBPS + ", not "
                    + mbps.getAsLong() + " (a kbit/s value?).");
        }
    }

    private static void checkRole(String role) {
        if (role.equals(VIEWER)) {
            throw Params.invalid("Role=Viewer (interactive cloud gaming, watching HostUserId's game) is not emulated;"
                    + " only Player is.");
        }
        if (!role.isEmpty() && !role.equals(PLAYER)) {
            throw Params.invalid("Role must be Player or Viewer, not " + role + ".");
        }
    }

    /** Opaque to clients like the real one, but decodable in a test: "gs-emulator|workerId|ClientSession". */
    private static String serverSession(String workerId, String clientSession) {
        return Base64.getEncoder().encodeToString(
                ("gs-emulator|" + workerId + "|" + clientSession).getBytes(StandardCharsets.UTF_8));
    }
}
