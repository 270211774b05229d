package io.playbill.gsemulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an emulator runs: where it listens, the one SecretId/SecretKey pair it accepts, where each game's workers are,
 * how long a TrylockWorker lock waits for CreateSession, how long a stopped game keeps its worker, and the clock it
 * reads. Start from {@link #defaults()} and change what matters with the {@code with...} methods.
 *
 * <p>A game's workers live in regions, as the concurrency bought in the real service does. A game named in
 * {@code workersByGame} has exactly the workers listed there; any other game has {@code workersPerGame} workers in
 * {@link #DEFAULT_REGION}, created the first time it is asked for.
 *
 * @param host            address to bind; 127.0.0.1 by default because the admin endpoints have no authentication
 * @param port            0 picks a free port
 * @param workersPerGame  number of workers of a game not named in {@code workersByGame}, all in the default region
 * @param workersByGame   by GameId, the number of workers in each region, in the order regions are tried
 * @param stoppingWindow  how long a worker stays busy after StopGame ends its session; zero frees it at once
 */
public record GsEmulatorConfig(String host, int port, String secretId, String secretKey, int workersPerGame,
                               Map<String, Map<String, Integer>> workersByGame, Duration lockTimeout,
                               Duration stoppingWindow, Clock clock) {

    /** Dev-only credentials. They are public (see the README): anything shared must set its own. */
    public static final String DEV_SECRET_ID = "playbill-dev-secret-id";
    public static final String DEV_SECRET_KEY = "playbill-dev-secret-key";

    /** Where workers live unless placed elsewhere. */
    public static final String DEFAULT_REGION = "ap-guangzhou";

    public GsEmulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(stoppingWindow, "stoppingWindow");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("secretId and secretKey must not be blank");
        }
        if (workersPerGame < 0 || workersByGame.values().stream().flatMap(regions -> regions.values().stream())
                .anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("worker counts must not be negative");
        }
        if (workersByGame.entrySet().stream().anyMatch(game -> game.getKey().isBlank()
                || game.getValue().keySet().stream().anyMatch(String::isBlank))) {
            throw new IllegalArgumentException("game ids and regions must not be blank");
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive, not " + lockTimeout);
        }
        if (stoppingWindow.isNegative()) {
            throw new IllegalArgumentException("stoppingWindow must not be negative, not " + stoppingWindow);
        }
        workersByGame = ordered(workersByGame);
    }

    /**
     * 127.0.0.1 on a free port, the dev credentials, 2 workers per game, 30 s lock timeout, a 2 s stopping window,
     * the system clock.
     */
    public static GsEmulatorConfig defaults() {
        return new GsEmulatorConfig("127.0.0.1", 0, DEV_SECRET_ID, DEV_SECRET_KEY, 2, Map.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Clock.systemUTC());
    }

    public GsEmulatorConfig withHost(String newHost) {
        return new GsEmulatorConfig(newHost, port, secretId, secretKey, workersPerGame, workersByGame, lockTimeout,
                stoppingWindow, clock);
    }

    public GsEmulatorConfig withPort(int newPort) {
        return new GsEmulatorConfig(host, newPort, secretId, secretKey, workersPerGame, workersByGame, lockTimeout,
                stoppingWindow, clock);
    }

    public GsEmulatorConfig withCredentials(String newSecretId, String newSecretKey) {
        return new GsEmulatorConfig(host, port, newSecretId, newSecretKey, workersPerGame, workersByGame, lockTimeout,
                stoppingWindow, clock);
    }

    /** The number of workers, in the default region, of every game not placed with {@code withWorkersForGame}. */
    public GsEmulatorConfig withWorkersPerGame(int workers) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workers, workersByGame, lockTimeout,
                stoppingWindow, clock);
    }

    /** Gives {@code gameId} {@code workers} workers in the default region (and none elsewhere unless placed there). */
    public GsEmulatorConfig withWorkersForGame(String gameId, int workers) {
        return withWorkersForGame(gameId, DEFAULT_REGION, workers);
    }

    /**
     * Gives {@code gameId} {@code workers} workers in {@code region}, next to those it has in other regions. Once a
     * game is placed this way it has only the workers placed for it.
     */
    public GsEmulatorConfig withWorkersForGame(String gameId, String region, int workers) {
        Map<String, Map<String, Integer>> placement = new LinkedHashMap<>(workersByGame);
        Map<String, Integer> regions = new LinkedHashMap<>(placement.getOrDefault(gameId, Map.of()));
        regions.put(region, workers);
        placement.put(gameId, regions);
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, placement, lockTimeout,
                stoppingWindow, clock);
    }

    public GsEmulatorConfig withLockTimeout(Duration timeout) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, workersByGame, timeout,
                stoppingWindow, clock);
    }

    /** How long a worker stays busy after StopGame ended its session; {@link Duration#ZERO} frees it at once. */
    public GsEmulatorConfig withStoppingWindow(Duration window) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, workersByGame, lockTimeout,
                window, clock);
    }

    public GsEmulatorConfig withClock(Clock newClock) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, workersByGame, lockTimeout,
                stoppingWindow, newClock);
    }

    /** The regions of {@code gameId} with their number of workers, in the order they are tried. */
    Map<String, Integer> placementOf(String gameId) {
        return workersByGame.getOrDefault(gameId, Map.of(DEFAULT_REGION, workersPerGame));
    }

    /** The total number of workers of {@code gameId}, over all its regions. */
    int workersFor(String gameId) {
        return placementOf(gameId).values().stream().mapToInt(Integer::intValue).sum();
    }

    boolean usesDevCredentials() {
        return DEV_SECRET_ID.equals(secretId) && DEV_SECRET_KEY.equals(secretKey);
    }

    /** Never shows the secret key: configs end up in logs. */
    @Override
    public String toString() {
        return "GsEmulatorConfig[host=" + host + ", port=" + port + ", secretId=" + secretId
                + ", secretKey=***, workersPerGame=" + workersPerGame + ", workersByGame=" + workersByGame
                + ", lockTimeout=" + lockTimeout + ", stoppingWindow=" + stoppingWindow + ", clock=" + clock + "]";
    }

    /** An unmodifiable copy that keeps the order regions were placed in (Map.copyOf would not). */
    private static Map<String, Map<String, Integer>> ordered(Map<String, Map<String, Integer>> placement) {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        placement.forEach((game, regions) -> copy.put(game, Collections.unmodifiableMap(new LinkedHashMap<>(regions))));
        return Collections.unmodifiableMap(copy);
    }
}
