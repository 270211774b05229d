package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;
import io.playbill.gsemulator.GsEmulator;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.kafka.EmbeddedKafkaBroker;
import io.playbill.infra.kafka.PlaybillAcls;
import io.playbill.infra.kafka.ScramUsers;
import io.playbill.infra.standalone.watchdog.WatchdogJar;
import io.playbill.infra.test.PostgresServer;
import io.playbill.trust.ScrapeToken;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The whole platform on one machine: embedded PostgreSQL, a Kafka broker, and the three services as child
 * processes wired to them, one instance each unless {@link PlatformConfig#withInstances} asks for more.
 * {@link #close()} stops everything, services first. A service whose process exits while
 * the platform is up is started again ({@link RestartPolicy#DEFAULT}); the service processes stop by themselves when
 * this JVM ends, however it ends, and a start stops what a crashed earlier run left on the data directory. With
 * {@link PlatformConfig.KafkaSecurity#SASL_SCRAM} each service logs in to the broker as its own SCRAM user with a
 * password generated for this start, given to it in {@code SPRING_KAFKA_*} environment variables. Failure tests
 * kill service instances ({@link #kill}) and stop and start PostgreSQL and the broker ({@link #stopPostgres},
 * {@link #stopKafka}) under a running platform.
 *
 * <p>Every service is scraped with a scrape token new per start, written to {@link #scrapeTokenFile()} for Prometheus
 * (infra/observability). The first start of a data directory seeds dev data through the gateway's admin API, as an
 * operator would: a price for the default queue, so that the first authToken of a new user is answered.
 */
public final class Platform implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final int INTERNAL_KEY_BYTES = 32;
    /** The gateway's default queue ({@code playbill.game.queues}) and the dev price seeded for it. */
    public static final String DEV_QUEUE = "standard";
    public static final long DEV_PRICE_PER_MINUTE = 60;
    /** In the data directory once its dev data is seeded: later starts leave the prices as they are. */
    private static final String SEEDED_MARKER = "dev-data-seeded";

    private final PlatformConfig config;
    private final FileLock lock;
    /** Signs the gateway's caller assertions to query-service; new per start, never printed or written down. */
    private final String internalKey = newInternalKey();
    /** In start order; the supervisor replaces a restarted service's entry from its own thread. */
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    private final ServiceSupervisor<ServiceProcess> supervisor = new ServiceSupervisor<>(RestartPolicy.DEFAULT,
            START_TIMEOUT, System.out::println, this::replace, Clock.systemUTC());
    /** Instance name → HTTP port. */
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Path watchdogAgent;
    /** What a scraper presents to /actuator/prometheus; new per start, printed nowhere, in {@link #scrapeTokenFile}. */
    private final String scrapeToken = ScrapeToken.random();
    private Path scrapeTokenFile;
    private PostgresServer postgres;
    private int postgresPort;
    private boolean postgresRunning;
    private ScramUsers kafkaUsers;
    private EmbeddedKafkaBroker kafka;
    private int kafkaPort;
    private boolean kafkaRunning;
    private GsEmulator gsEmulator;
    /**
     * Closes the platform when its JVM exits without {@link #close()} (Ctrl-C, SIGTERM or SIGHUP to a bench or soak
     * run): the service JVMs would stop by their watchdog, but PostgreSQL runs in processes of its own.
     */
    private final Thread closeOnExit = new Thread(this::close, "playbill-platform-stop");
    private boolean closed;
    /** Whether {@link #close()} deletes the data directory ({@link #startOnThrowawayData}). */
    private final boolean throwawayData;

    private Platform(PlatformConfig config, FileLock lock, boolean throwawayData) {
        this.config = config;
        this.lock = lock;
        this.throwawayData = throwawayData;
    }

    /** Starts everything and returns once every service reports healthy; on failure stops what started. */
    public static Platform start(PlatformConfig config) throws IOException, InterruptedException {
        return start(config, false);
    }

    /**
     * {@link #start}, on a data directory that is the platform's alone: it is deleted once the platform has stopped,
     * however it stops, Ctrl-C and SIGTERM included. For runs whose data is of no use after them (the bench, the
     * soak); never for a directory that holds anything else.
     */
    public static Platform startOnThrowawayData(PlatformConfig config) throws IOException, InterruptedException {
        return start(config, true);
    }

    private static Platform start(PlatformConfig config, boolean throwawayData)
            throws IOException, InterruptedException {
        Path data = config.dataDir().toAbsolutePath();
        Files.createDirectories(data);
        FileLock lock = new RandomAccessFile(data.resolve(".lock").toFile(), "rw").getChannel().tryLock();
        if (lock == null) {
            throw new IllegalStateException("Another Playbill is already running on " + data);
        }
        Platform platform = new Platform(config, lock, throwawayData);
        Runtime.getRuntime().addShutdownHook(platform.closeOnExit);
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
        Path run = data.resolve("run");
        Files.createDirectories(run);
        Leftovers.stop(run, data.resolve("postgres"));
        assignPorts();
        requirePortsFree();
        watchdogAgent = WatchdogJar.writeTo(run);

        // Under close()'s lock: a close by the exit hook either comes first, and the start ends here, or waits and
        // then sees (and stops) what this started. The service JVMs need no such care: their watchdog stops them.
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The platform was closed while it started");
            }
            postgres = PostgresServer.embedded(data.resolve("postgres"), config.postgresPort());
            postgresRunning = true;
            postgresPort = postgres.embeddedPort().orElseThrow();
            kafkaUsers = config.kafkaSecurity() == PlatformConfig.KafkaSecurity.SASL_SCRAM
                    ? ScramUsers.randomForServices() : null;
            kafka = startKafka(config.kafkaPort());
            kafkaRunning = true;
            kafkaPort = Integer.parseInt(kafka.bootstrapServers()
                    .substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
            gsEmulator = GsEmulator.start(GsEmulatorConfig.defaults().withPort(config.gsEmulatorPort())
                    .withCredentials(DevCredentials.GS_SECRET_ID, DevCredentials.GS_SECRET_KEY));
        }

        Map<String, String> common = new HashMap<>();
        common.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("SPRING_PROFILES_ACTIVE", "standalone");
        // A developer's platform: every service accepts its unauthenticated broker (unless --kafka-sasl), and the
        // gateway the profile 'standalone' and the published dev secrets, which they all refuse without it.
        common.put("PLAYBILL_DEV_MODE", "true");
        common.put(ScrapeToken.ENVIRONMENT_VARIABLE, scrapeToken);
        scrapeTokenFile = writeOwnerOnly(run.resolve("scrape-token"), scrapeToken);

        Map<String, String> ledger = withKafkaLogin(withDatabase(common, "playbill_ledger"), kafkaUsers,
                PlaybillAcls.LEDGER_USER);
        for (String instance : instances("command-service")) {
            start(instance, "command-service", jars, ledger, run);
        }
        Map<String, String> query = withKafkaLogin(withDatabase(common, "playbill_query"), kafkaUsers,
                PlaybillAcls.QUERY_USER);
        // Audits read the ledger's event store directly (read only), independently of the topic.
        PostgresServer.Database ledgerStore = postgres.createDatabaseNamed("playbill_ledger");
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_URL", ledgerStore.jdbcUrl());
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_USERNAME", ledgerStore.username());
        query.put("PLAYBILL_AUDIT_LEDGER_DATASOURCE_PASSWORD", ledgerStore.password());
        query.put("PLAYBILL_INTERNAL_KEY", internalKey);
        for (String instance : instances("query-service")) {
            start(instance, "query-service", jars, query, run);
        }
        Map<String, String> gateway = withKafkaLogin(withDatabase(common, "playbill_gateway"), kafkaUsers,
                PlaybillAcls.GATEWAY_USER);
        // Dev mode hands out admin tokens to anyone who asks (/console/dev-token): this machine only, unless the
        // developer opens it on purpose, like every other part of the one-box platform.
        gateway.put("SERVER_ADDRESS", gatewayAddress());
        gateway.put("PLAYBILL_SECURITY_USER_JWT_HMAC_SECRET", DevCredentials.USER_JWT_SECRET);
        gateway.put("PLAYBILL_SECURITY_USER_JWT_ISSUER", DevCredentials.USER_JWT_ISSUER);
        gateway.put("PLAYBILL_SECURITY_USER_JWT_AUDIENCES", DevCredentials.USER_JWT_AUDIENCE);
        gateway.put("PLAYBILL_TOKEN_SECRET", DevCredentials.CUSTOMER_TOKEN_SECRET);
        gateway.put("PLAYBILL_TOKEN_ISSUER", DevCredentials.TOKEN_ISSUER);
        gateway.put("PLAYBILL_TOKEN_CUSTOMER", DevCredentials.TOKEN_CUSTOMER);
        gateway.put("PLAYBILL_INTERNAL_KEY", internalKey);
        gateway.put("PLAYBILL_CLOUD_ENDPOINT", "127.0.0.1:" + gsEmulator.port());
        gateway.put("PLAYBILL_CLOUD_PROTOCOL", "http://");
        gateway.put("PLAYBILL_CLOUD_SECRET_ID", DevCredentials.GS_SECRET_ID);
        gateway.put("PLAYBILL_CLOUD_SECRET_KEY", DevCredentials.GS_SECRET_KEY);
        List<String> queryInstances = instances("query-service");
        List<String> gatewayInstances = instances("gateway");
        for (int i = 0; i < gatewayInstances.size(); i++) {
            // No load balancer here: each gateway reads from one query-service instance.
            Map<String, String> env = new HashMap<>(gateway);
            env.put("PLAYBILL_QUERY_SERVICE_URL", "http://127.0.0.1:"
                    + ports.get(queryInstances.get(i % queryInstances.size())));
            start(gatewayInstances.get(i), "gateway", jars, env, run);
        }

        for (ServiceProcess service : services) {
            service.awaitHealthy(START_TIMEOUT);
        }
        // Supervised only once up: a service that cannot start at all is a start failure, not a crash to retry.
        services.forEach(supervisor::watch);
        seedDevDataOnFirstStart(data);
    }

    /**
     * On the first start of a data directory, a price for the default queue: without one the ledger answers the first
     * authToken {@code unknown_queue}. Set through the gateway with a dev admin token, so it is a {@code PriceSet}
     * event like any other; the marker file keeps later starts from setting it again (an operator may have changed
     * it). A failure is reported and tried again on the next start.
     */
    private void seedDevDataOnFirstStart(Path data) throws IOException {
        Path marker = data.resolve(SEEDED_MARKER);
        if (Files.exists(marker)) {
            return;
        }
        // A dev admin token of its own: an operator's PLAYBILL_ADMIN_TOKEN is for another gateway.
        String devAdmin = AdminApi.devAdminToken();
        AdminApi.Answer price = new AdminApi(serviceUrls().get("gateway"), devAdmin).put("api/admin/prices/" + DEV_QUEUE,
                "{\"pricePerMinute\":" + DEV_PRICE_PER_MINUTE + "}", Duration.ofSeconds(30));
        if (price.status() / 100 != 2) {
            System.out.println("Could not seed the dev price of queue '" + DEV_QUEUE + "' (HTTP " + price.status()
                    + "): " + price.body() + "; set one with PUT /api/admin/prices/" + DEV_QUEUE);
            return;
        }
        Files.writeString(marker, "Dev data seeded: queue " + DEV_QUEUE + " at " + DEV_PRICE_PER_MINUTE
                + " per minute. Delete this file to seed again on the next start.\n");
    }

    /** A secret for local tools, readable by this user only (where the file system has POSIX permissions). */
    private static Path writeOwnerOnly(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, secret);
        return file;
    }

    private EmbeddedKafkaBroker startKafka(int port) {
        Path dir = config.dataDir().toAbsolutePath().resolve("kafka");
        return kafkaUsers == null ? EmbeddedKafkaBroker.start(dir, port)
                : EmbeddedKafkaBroker.startSecured(dir, port, kafkaUsers);
    }

    /** The instances of {@code service} by name, in start order: {@code gateway}, {@code gateway-2}, ... */
    public List<String> instances(String service) {
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= config.instancesOf(service); k++) {
            names.add(PlatformConfig.instanceName(service, k));
        }
        return names;
    }

    /** The first instance of each service on its configured port, every further one on a free port. */
    private void assignPorts() {
        Map<String, Integer> configured = Map.of("command-service", config.commandServicePort(),
                "query-service", config.queryServicePort(), "gateway", config.gatewayPort());
        for (String service : PlatformConfig.SERVICES) {
            List<String> names = instances(service);
            ports.put(names.get(0), configured.get(service));
            for (String extra : names.subList(1, names.size())) {
                ports.put(extra, LoopbackPorts.free());
            }
        }
    }

    /** {@code PLAYBILL_GATEWAY_ADDRESS} (e.g. {@code 0.0.0.0} to try a phone on the LAN), else loopback. */
    private static String gatewayAddress() {
        String address = System.getenv("PLAYBILL_GATEWAY_ADDRESS");
        if (address == null || address.isBlank()) {
            return "127.0.0.1";
        }
        System.out.println("The dev gateway listens on " + address.trim() + " (PLAYBILL_GATEWAY_ADDRESS): anyone who"
                + " reaches it there can mint admin tokens at /console/dev-token");
        return address.trim();
    }

    private void start(String instance, String service, Map<String, Path> jars, Map<String, String> environment,
                       Path run) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(config.serviceEnvironment().getOrDefault(service, Map.of()));
        services.add(ServiceProcess.start(instance, jars.get(service), ports.get(instance), env,
                config.jvmOptions(), watchdogAgent, run));
    }

    private Map<String, String> withDatabase(Map<String, String> common, String database) {
        PostgresServer.Database db = postgres.createDatabaseNamed(database);
        Map<String, String> env = new HashMap<>(common);
        env.put("SPRING_DATASOURCE_URL", db.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", db.username());
        env.put("SPRING_DATASOURCE_PASSWORD", db.password());
        return env;
    }

    /**
     * The Spring Boot settings that log a service in as {@code user}; a PLAINTEXT broker needs none. The password
     * is in the JAAS line, so it reaches the child JVM through its environment, not its command line.
     */
    private static Map<String, String> withKafkaLogin(Map<String, String> env, ScramUsers users, String user) {
        if (users != null) {
            Map<String, String> login = users.clientSettings(user);
            env.put("SPRING_KAFKA_SECURITY_PROTOCOL", login.get("security.protocol"));
            env.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", login.get("sasl.mechanism"));
            env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", login.get("sasl.jaas.config"));
        }
        return env;
    }

    /** Instance name ({@code gateway}, {@code gateway-2}, ...) → base URL, in start order. */
    public Map<String, String> serviceUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        services.forEach(s -> urls.put(s.name(), s.url()));
        return urls;
    }

    /**
     * The internal key the gateway and query-service share, for another gateway started beside this platform (the
     * bench's). Secret: never print it.
     */
    public String internalKey() {
        return internalKey;
    }

    /** The bearer token every service's /actuator/prometheus wants this run. Secret: never print it. */
    public String scrapeToken() {
        return scrapeToken;
    }

    /** Where this run's scrape token is for Prometheus' {@code credentials_file} (infra/observability). */
    public Path scrapeTokenFile() {
        return scrapeTokenFile;
    }

    /** The in-process Tencent Cloud GS emulator the gateway is pointed at. */
    public GsEmulator gsEmulator() {
        return gsEmulator;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * Settings for a Kafka client with every right on this platform's broker (bootstrap servers, and on a secured
     * broker its super-user login): for tools and tests, never for a service.
     */
    public Map<String, Object> kafkaAdminProperties() {
        return kafka.adminProperties();
    }

    /** JDBC coordinates of one of the platform's databases (playbill_ledger, playbill_query, playbill_gateway). */
    public PostgresServer.Database database(String name) {
        return postgres.createDatabaseNamed(name);
    }

    /** The watchdog agent jar its service JVMs run with; a JVM the caller starts beside them should run it too. */
    public Path watchdogAgent() {
        return watchdogAgent;
    }

    public String postgresUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/ (user postgres, no password)";
    }

    public PlatformConfig config() {
        return config;
    }

    /**
     * Kills one service with SIGKILL (no graceful shutdown), starts it again with the same settings and waits
     * until it is healthy. For failure tests; the supervisor leaves this restart to the caller.
     */
    public void killAndRestart(String serviceName) throws IOException, InterruptedException {
        ServiceProcess service = service(serviceName);
        supervisor.release(service);
        service.kill();
        ServiceProcess restarted = service.startAgain();
        services.set(services.indexOf(service), restarted);
        supervisor.watch(restarted);
        restarted.awaitHealthy(START_TIMEOUT);
    }

    /**
     * Kills one service with SIGKILL, as a crash would end it, and returns at once: the supervisor starts it again.
     * For failure tests.
     */
    public void kill(String serviceName) throws InterruptedException {
        service(serviceName).kill();
    }

    /**
     * Stops PostgreSQL as an outage would (fast shutdown: open sessions are cut off), keeping its data directory and
     * port; the services keep running without their databases until {@link #startPostgres()}. For failure tests.
     */
    public synchronized void stopPostgres() {
        if (postgresRunning) {
            postgres.close();
            postgresRunning = false;
        }
    }

    /** Starts PostgreSQL again on the same data directory and port after {@link #stopPostgres()}. */
    public synchronized void startPostgres() {
        if (!postgresRunning) {
            postgres = PostgresServer.embedded(config.dataDir().toAbsolutePath().resolve("postgres"), postgresPort);
            postgresRunning = true;
        }
    }

    /**
     * Stops the broker as an outage would (its data directory and port kept); the services keep running and their
     * clients retry until {@link #startKafka()}. For failure tests.
     */
    public synchronized void stopKafka() {
        if (kafkaRunning) {
            kafka.close();
            kafkaRunning = false;
        }
    }

    /** Starts the broker again on the same data directory and port (and logins) after {@link #stopKafka()}. */
    public synchronized void startKafka() {
        if (!kafkaRunning) {
            kafka = startKafka(kafkaPort);
            kafkaRunning = true;
        }
    }

    /** The process id of one service's current JVM. */
    public long pid(String serviceName) {
        return service(serviceName).pid();
    }

    /** True while every service process is running. */
    public boolean allServicesAlive() {
        return services.stream().allMatch(ServiceProcess::isAlive);
    }

    /**
     * Completes with the reason when a service has crashed more often than {@link RestartPolicy#DEFAULT} allows; it
     * then stays down, and the platform should be closed.
     */
    public CompletableFuture<String> failure() {
        return supervisor.failure();
    }

    private ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service named " + name));
    }

    private void replace(ServiceProcess crashed, ServiceProcess restarted) {
        services.set(services.indexOf(crashed), restarted);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting: this is the hook itself, or another hook that closes the platform.
        }
        supervisor.stop();
        // Services first (they hold connections), in reverse start order; then the broker and the database.
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(Duration.ofSeconds(20));
        }
        if (gsEmulator != null) {
            gsEmulator.close();
        }
        try {
            stopKafka();
        } finally {
            try {
                stopPostgres();
            } finally {
                releaseLock();
                // Only once PostgreSQL is down: its files are in there.
                if (throwawayData && !postgresRunning) {
                    deleteRecursively(config.dataDir().toAbsolutePath());
                }
            }
        }
    }

    /** Best effort: a file a stray process still writes may stay behind. */
    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Left behind.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete all of " + dir + ": " + e.getMessage());
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

    private static String newInternalKey() {
        byte[] key = new byte[INTERNAL_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private void requirePortsFree() {
        Map<String, Integer> toCheck = new LinkedHashMap<>();
        toCheck.put("PostgreSQL (PLAYBILL_PG_PORT)", config.postgresPort());
        toCheck.put("Kafka (PLAYBILL_KAFKA_PORT)", config.kafkaPort());
        toCheck.put("gateway (PLAYBILL_GATEWAY_PORT)", config.gatewayPort());
        toCheck.put("command-service (PLAYBILL_COMMAND_PORT)", config.commandServicePort());
        toCheck.put("query-service (PLAYBILL_QUERY_PORT)", config.queryServicePort());
        toCheck.put("GS emulator (PLAYBILL_GS_PORT)", config.gsEmulatorPort());
        ports.forEach((instance, port) -> toCheck.putIfAbsent(instance, port));
        toCheck.forEach((what, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("Port " + port + " for " + what
                        + " is already in use: stop what uses it or choose another port with that variable");
            }
        });
    }
}
