package io.playbill.infra.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PostgreSQL server to create databases on: an external one when configured or reachable, otherwise an
 * embedded one (real PostgreSQL binaries from Maven Central, unpacked under {@code workDir}).
 */
public final class PostgresServer implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String adminUrl;
    private final String username;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final String description;

    private PostgresServer(String adminUrl, String username, String password, EmbeddedPostgres embedded,
                           String description) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * {@code PLAYBILL_TEST_PG_URL} (+ {@code PLAYBILL_TEST_PG_USER}/{@code PLAYBILL_TEST_PG_PASSWORD}) when set;
     * else a server on 127.0.0.1:5432 that accepts postgres/postgres (or PGUSER/PGPASSWORD); else embedded.
     */
    public static PostgresServer forTests(Path workDir) {
        String url = System.getenv("PLAYBILL_TEST_PG_URL");
        String user = envOr("PLAYBILL_TEST_PG_USER", envOr("PGUSER", "postgres"));
        String password = envOr("PLAYBILL_TEST_PG_PASSWORD", envOr("PGPASSWORD", "postgres"));
        if (url != null && !url.isBlank()) {
            return new PostgresServer(url, user, password, null, "external PostgreSQL from PLAYBILL_TEST_PG_URL");
        }
        String local = "jdbc:postgresql://127.0.0.1:5432/postgres";
        if (portOpen(5432) && canConnect(local, user, password)) {
            return new PostgresServer(local, user, password, null, "PostgreSQL on 127.0.0.1:5432");
        }
        return embedded(workDir, 0);
    }

    /** A server someone else runs, reached at {@code adminUrl} as a user who may create databases. */
    static PostgresServer external(String adminUrl, String username, String password, String description) {
        return new PostgresServer(adminUrl, username, password, null, description);
    }

    /**
     * Starts (or re-opens) an embedded server whose data lives in {@code dataDir/data}. Its owner stops it with
     * {@link #close()}: it registers no shutdown hook of its own, so the owner decides the order (services first).
     */
    public static PostgresServer embedded(Path dataDir, int port) {
        try {
            Path data = embeddedDataDirectory(dataDir);
            Path unpack = dataDir.toAbsolutePath().resolve("binaries");
            Files.createDirectories(unpack);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(unpack.toFile())
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "300")
                    // zonky's builder defaults to synchronous_commit = off (and -F, fsync off), which reports a
                    // commit before it is on disk; the platform runs on this server (decision 046).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            String admin = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            return new PostgresServer(admin, "postgres", "", pg, "embedded PostgreSQL on port " + pg.getPort());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops an embedded server still running on {@code dataDir} (as {@link #embedded} lays it out) although its owner
     * is gone: PostgreSQL runs in processes of its own, so it outlives an owner killed with SIGKILL, and keeps the
     * data directory and port. Found through the data directory's {@code postmaster.pid}; stopped with {@code pg_ctl
     * stop -m fast} (open sessions are rolled back), else with SIGTERM. Returns the stopped server's process id.
     */
    public static OptionalLong stopLeftoverEmbedded(Path dataDir) {
        Path data = embeddedDataDirectory(dataDir);
        Optional<ProcessHandle> postmaster = leftoverPostmaster(data.resolve("postmaster.pid"));
        if (postmaster.isEmpty()) {
            return OptionalLong.empty();
        }
        ProcessHandle server = postmaster.get();
        Optional<Path> pgCtl = server.info().command()
                .map(postgres -> Path.of(postgres).resolveSibling(postgres.endsWith(".exe") ? "pg_ctl.exe" : "pg_ctl"))
                .filter(Files::isExecutable);
        try {
            if (pgCtl.isEmpty() || !pgCtlStop(pgCtl.get(), data)) {
                server.destroy();
            }
            server.onExit().get(LEFTOVER_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL " + server.pid(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL (pid " + server.pid() + ") left running on " + data
                    + " did not stop within " + LEFTOVER_STOP_TIMEOUT.toSeconds() + " s; stop it by hand", e);
        }
        return OptionalLong.of(server.pid());
    }

    private static Path embeddedDataDirectory(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("data");
    }

    /**
     * The live postmaster whose id the lock file names. A lock file without one is harmless (PostgreSQL replaces it);
     * an id since taken by another program is no server of ours.
     */
    private static Optional<ProcessHandle> leftoverPostmaster(Path pidFile) {
        long pid;
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres"))
                        .orElse(false));
    }

    /** True when {@code pg_ctl stop} succeeded. */
    private static boolean pgCtlStop(Path pgCtl, Path data) throws InterruptedException {
        try {
            Process stop = new ProcessBuilder(pgCtl.toString(), "stop", "-D", data.toString(), "-m", "fast", "-w",
                    "-t", String.valueOf(LEFTOVER_STOP_TIMEOUT.toSeconds()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return stop.waitFor(LEFTOVER_STOP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS) && stop.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates a fresh database with a unique name starting with {@code prefix}. */
    public Database createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return createDatabaseNamed(name);
    }

    /** Creates {@code name} unless it exists, and returns its coordinates. */
    public Database createDatabaseNamed(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("Database names are lowercase letters, digits and _: " + name);
        }
        try (Connection c = DriverManager.getConnection(adminUrl, username, password);
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("create database " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on " + description + ": "
                    + e.getMessage(), e);
        }
        return new Database(jdbcUrlOf(name), username, password);
    }

    public String description() {
        return description;
    }

    public Optional<Integer> embeddedPort() {
        return Optional.ofNullable(embedded).map(EmbeddedPostgres::getPort);
    }

    private String jdbcUrlOf(String database) {
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new IllegalStateException("Embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
            }
        }
    }

    /** JDBC coordinates of one database. */
    public record Database(String jdbcUrl, String username, String password) {

        /**
         * The Spring data source properties for this database under {@code prefix} (e.g. {@code spring.datasource}):
         * {@code prefix.url}, {@code prefix.username}, {@code prefix.password}. Tests hand them to their
         * {@code DynamicPropertyRegistry} in one line.
         */
        public Map<String, String> springProperties(String prefix) {
            return Map.of(prefix + ".url", jdbcUrl, prefix + ".username", username, prefix + ".password", password);
        }

        /**
         * Sets {@code synchronous_commit} for every later session of this database, as an operator could
         * ({@code ALTER DATABASE … SET}); tests use it to attack the services' start-up check (decision 046).
         */
        public Database withSynchronousCommit(String value) {
            if (!value.matches("[a-z_]+")) {
                throw new IllegalArgumentException("Not a synchronous_commit value: " + value);
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("do $$ begin execute format('alter database %I set synchronous_commit = %s', "
                        + "current_database(), '" + value + "'); end $$");
                return this;
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot set synchronous_commit on " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canConnect(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
