package io.playbill.gsemulator;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an emulator runs: where it listens, the one SecretId/SecretKey pair it accepts, how many workers each
 * (GameId, GameRegion) pool has, how long a TrylockWorker lock waits for CreateSession, and the clock it reads.
 * Start from {@link #defaults()} and change what matters with the {@code with...} methods.
 *
 * @param host            address to bind; 127.0.0.1 by default because the admin endpoints have no authentication
 * @param port            0 picks a free port
 * @param workersPerGame  pool size of every (GameId, GameRegion) not named in {@code workersByGame}
 * @param workersByGame   pool sizes by GameId, overriding {@code workersPerGame}
 */
public record GsEmulatorConfig(String host, int port, String secretId, String secretKey, int workersPerGame,
                               Map<String, Integer> workersByGame, Duration lockTimeout, Clock clock) {

    /** Dev-only credentials. They are public (see the README): anything shared must set its own. */
    public static final String DEV_SECRET_ID = "playbill-dev-secret-id";
    public static final String DEV_SECRET_KEY = "playbill-dev-secret-key";

    public GsEmulatorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        if (secretId == null || secretId.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("secretId and secretKey must not be blank");
        }
        if (workersPerGame < 0 || workersByGame.values().stream().anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("worker counts must not be negative");
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be positive, not " + lockTimeout);
        }
        workersByGame = Map.copyOf(workersByGame);
    }

    /** 127.0.0.1 on a free port, the dev credentials, 2 workers per game, 30 s lock timeout, the system clock. */
    public static GsEmulatorConfig defaults() {
        return new GsEmulatorConfig("127.0.0.1", 0, DEV_SECRET_ID, DEV_SECRET_KEY, 2, Map.of(),
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    public GsEmulatorConfig withHost(String newHost) {
        return new GsEmulatorConfig(newHost, port, secretId, secretKey, workersPerGame, workersByGame, lockTimeout, clock);
    }

    public GsEmulatorConfig withPort(int newPort) {
        return new GsEmulatorConfig(host, newPort, secretId, secretKey, workersPerGame, workersByGame, lockTimeout, clock);
    }

    public GsEmulatorConfig withCredentials(String newSecretId, String newSecretKey) {
        return new GsEmulatorConfig(host, port, newSecretId, newSecretKey, workersPerGame, workersByGame, lockTimeout,
                clock);
    }

    public GsEmulatorConfig withWorkersPerGame(int workers) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workers, workersByGame, lockTimeout, clock);
    }

    public GsEmulatorConfig withWorkersForGame(String gameId, int workers) {
        Map<String, Integer> sizes = new HashMap<>(workersByGame);
        sizes.put(gameId, workers);
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, sizes, lockTimeout, clock);
    }

    public GsEmulatorConfig withLockTimeout(Duration timeout) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, workersByGame, timeout, clock);
    }

    public GsEmulatorConfig withClock(Clock newClock) {
        return new GsEmulatorConfig(host, port, secretId, secretKey, workersPerGame, workersByGame, lockTimeout,
                newClock);
    }

    int workersFor(String gameId) {
        return workersByGame.getOrDefault(gameId, workersPerGame);
    }

    boolean usesDevCredentials() {
        return DEV_SECRET_ID.equals(secretId) && DEV_SECRET_KEY.equals(secretKey);
    }

    /** Never shows the secret key: configs end up in logs. */
    @Override
    public String toString() {
        return "GsEmulatorConfig[host=" + host + ", port=" + port + ", secretId=" + secretId
                + ", secretKey=***, workersPerGame=" + workersPerGame + ", workersByGame=" + workersByGame
                + ", lockTimeout=" + lockTimeout + ", clock=" + clock + "]";
    }
}
