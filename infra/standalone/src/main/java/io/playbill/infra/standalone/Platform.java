package io.playbill.infra.standalone;

import io.playbill.gsemulator.GsEmulator;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.kafka.EmbeddedKafkaBroker;
import io.playbill.infra.test.PostgresServer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform on one machine: embedded PostgreSQL, a Kafka broker, and the three services as child
 * processes wired to them. {@link #close()} stops everything, services first.
 */
public final class Platform implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final PlatformConfig config;
    private final FileLock lock;
    private final List<ServiceProcess> services = new ArrayList<>();
    private PostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private GsEmulator gsEmulator;

    private Platform(PlatformConfig config, FileLock lock) {
        this.config = config;
        this.lock = lock;
    }

    /** Starts everything and returns once every service reports healthy; on failure stops what started. */
    public static Platform start(PlatformConfig config) throws IOException, InterruptedException {
        Path data = config.dataDir().toAbsolutePath();
        Files.createDirectories(data);
        FileLock lock = new RandomAccessFile(data.resolve(".lock").toFile(), "rw").getChannel().tryLock();
        if (lock == null) {
            throw new IllegalStateException("Another Playbill is already running on " + data);
        }
        Platform platform = new Platform(config, lock);
        try {
            platform.startAll(data);
            return platform;
        } catch (IOException | InterruptedException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll(Path data) throws IOException, InterruptedException {
        Map<String, Path> jars = ServiceJars.locate(config.home());
        requirePortsFree();
        Path run = data.resolve("run");
        Files.createDirectories(run);
        stopLeftoversOfAnEarlierRun(run);

        postgres = PostgresServer.embedded(data.resolve("postgres"), config.postgresPort());
        kafka = EmbeddedKafkaBroker.start(data.resolve("kafka"), config.kafkaPort());
        gsEmulator = GsEmulator.start(GsEmulatorConfig.defaults().withPort(config.gsEmulatorPort())
                .withCredentials(DevCredentials.GS_SECRET_ID, DevCredentials.GS_SECRET_KEY));

        Map<String, String> common = new HashMap<>();
        common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("SPRING_PROFILES_ACTIVE", "standalone");

        start("command-service", jars, config.commandServicePort(), withDatabase(common, "playbill_ledger"), run);
        Map<String, String> query = withDatabase(common, "playbill_query");
        // Audits read the ledger's event store directly (read only), independently of the topic.
        PostgresServer.Database ledgerStore = postgres.createDatabaseNamed("playbill_ledger");
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_URL", ledgerStore.jdbcUrl());
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_USERNAME", ledgerStore.username());
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_PASSWORD", ledgerStore.password());
        start("query-service", jars, config.queryServicePort(), query, run);
        Map<String, String> gateway = withDatabase(common, "playbill_gateway");
        // Without dev mode the gateway refuses the profile 'standalone' and every published dev secret.
        gateway.put("PLAYBILL_DEV_MODE", "true");
        gateway.put("PLAYBILL_SECURITY_USER_JWT_HMAC_SECRET", DevCredentials.USER_JWT_SECRET);
        gateway.put("PLAYBILL_SECURITY_USER_JWT_ISSUER", DevCredentials.USER_JWT_ISSUER);
        gateway.put("PLAYBILL_SECURITY_USER_JWT_AUDIENCES", DevCredentials.USER_JWT_AUDIENCE);
        gateway.put("PLAYBILL_TOKEN_SECRET", DevCredentials.CUSTOMER_TOKEN_SECRET);
        gateway.put("PLAYBILL_TOKEN_ISSUER", DevCredentials.TOKEN_ISSUER);
        gateway.put("PLAYBILL_TOKEN_CUSTOMER", DevCredentials.TOKEN_CUSTOMER);
        gateway.put("PLAYBILL_QUERY_SERVICE_URL", "http://127.0.0.1:" + config.queryServicePort());
        gateway.put("PLAYBILL_CLOUD_ENDPOINT", "127.0.0.1:" + gsEmulator.port());
        gateway.put("PLAYBILL_CLOUD_PROTOCOL", "http://");
        gateway.put("PLAYBILL_CLOUD_SECRET_ID", DevCredentials.GS_SECRET_ID);
        gateway.put("PLAYBILL_CLOUD_SECRET_KEY", DevCredentials.GS_SECRET_KEY);
        start("gateway", jars, config.gatewayPort(), gateway, run);

        for (ServiceProcess service : services) {
            service.awaitHealthy(START_TIMEOUT);
        }
    }

    private void start(String name, Map<String, Path> jars, int port, Map<String, String> environment, Path run)
            throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(config.serviceEnvironment().getOrDefault(name, Map.of()));
        services.add(ServiceProcess.start(name, jars.get(name), port, env, config.jvmOptions(), run));
    }

    private Map<String, String> withDatabase(Map<String, String> common, String database) {
        PostgresServer.Database db = postgres.createDatabaseNamed(database);
        Map<String, String> env = new HashMap<>(common);
        env.put("SPRING_DATASOURCE_URL", db.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", db.username());
        env.put("SPRING_DATASOURCE_PASSWORD", db.password());
        return env;
    }

    /** Service name → base URL, in start order. */
    public Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        services.forEach(s -> urls.put(s.name(), s.url()));
        return urls;
    }

    /** The in-process Tencent Cloud GS emulator the gateway is pointed at. */
    public GsEmulator gsEmulator() {
        return gsEmulator;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** JDBC coordinates of one of the platform's databases (playbill_ledger, playbill_query, playbill_gateway). */
    public PostgresServer.Database database(String name) {
        return postgres.createDatabaseNamed(name);
    }

    public String postgresUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.embeddedPort().orElseThrow() + "/ (user postgres, no password)";
    }

    public PlatformConfig config() {
        return config;
    }

    /**
     * Kills one service with SIGKILL (no graceful shutdown), starts it again with the same settings and waits
     * until it is healthy. For failure tests.
     */
    public void killAndRestart(String serviceName) throws IOException, InterruptedException {
        for (int i = 0; i < services.size(); i++) {
            ServiceProcess service = services.get(i);
            if (service.name().equals(serviceName)) {
                service.kill();
                ServiceProcess restarted = service.startAgain();
                services.set(i, restarted);
                restarted.awaitHealthy(START_TIMEOUT);
                return;
            }
        }
        throw new IllegalArgumentException("No service named " + serviceName);
    }

    /** True while every service process is running. */
    public boolean allServicesAlive() {
        return services.stream().allMatch(ServiceProcess::isAlive);
    }

    @Override
    public void close() {
        // Services first (they hold connections), in reverse start order; then the broker and the database.
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(20));
        }
        if (gsEmulator != null) {
            gsEmulator.close();
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                releaseLock();
            }
        }
    }

    private void releaseLock() {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            // The lock dies with the process anyway.
        }
    }

    private void requirePortsFree() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("PostgreSQL (PLAYBILL_PG_PORT)", config.postgresPort());
        ports.put("Kafka (PLAYBILL_KAFKA_PORT)", config.kafkaPort());
        ports.put("gateway (PLAYBILL_GATEWAY_PORT)", config.gatewayPort());
        ports.put("command-service (PLAYBILL_COMMAND_PORT)", config.commandServicePort());
        ports.put("query-service (PLAYBILL_QUERY_PORT)", config.queryServicePort());
        ports.put("GS emulator (PLAYBILL_GS_PORT)", config.gsEmulatorPort());
        ports.forEach((what, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("Port " + port + " for " + what
                        + " is already in use: stop what uses it or choose another port with that variable");
            }
        });
    }

    /** A launcher killed with SIGKILL cannot stop its children; the next start does, from their pid files. */
    private static void stopLeftoversOfAnEarlierRun(Path run) throws IOException {
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(run, "*.pid")) {
            for (Path pidFile : pidFiles) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid)
                        .filter(p -> p.info().commandLine().map(c -> c.contains("-exec.jar")).orElse(false))
                        .ifPresent(p -> {
                            System.out.println("Stopping a leftover " + pidFile.getFileName() + " process " + pid
                                    + " from an earlier run");
                            p.destroy();
                            p.onExit().join();
                        });
                Files.delete(pidFile);
            }
        }
    }
}
