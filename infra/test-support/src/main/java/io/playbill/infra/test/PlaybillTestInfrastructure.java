package io.playbill.infra.test;

import io.playbill.infra.kafka.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The real infrastructure integration tests run against: one Kafka broker and one PostgreSQL server, started
 * on first use and shared by every test in the JVM (stopped when the JVM exits). Each test class takes its own
 * database through {@link #createDatabase(String)} so classes do not see each other's rows.
 *
 * <p>Which broker and server is {@link InfrastructureChoice chosen} once per JVM and said in the log: Kafka and
 * PostgreSQL containers from Testcontainers when a Docker engine is reachable (or {@code -Dplaybill.test.infra=
 * testcontainers} requires them), else the embedded broker and PostgreSQL ({@code -Dplaybill.test.infra=embedded}
 * forces these). Tests see the same API either way.
 */
public final class PlaybillTestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(PlaybillTestInfrastructure.class);
    private static PlaybillTestInfrastructure shared;
    /** The names of the threads that close Spring contexts at exit: Spring Boot's hook, and a plain context's. */
    private static final Set<String> SPRING_SHUTDOWN_HOOKS = Set.of("SpringApplicationShutdownHook",
            "SpringContextShutdownHook");

    private final String kafkaBootstrapServers;
    private final PostgresServer postgres;
    private final AutoCloseable stop;

    private PlaybillTestInfrastructure(String kafkaBootstrapServers, PostgresServer postgres, AutoCloseable stop) {
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.postgres = postgres;
        this.stop = stop;
    }

    /** The JVM-wide instance, started on first call. */
    public static synchronized PlaybillTestInfrastructure shared() {
        if (shared == null) {
            shared = start(InfrastructureChoice.forThisJvm());
        }
        return shared;
    }

    private static PlaybillTestInfrastructure start(InfrastructureChoice choice) {
        long started = System.nanoTime();
        PlaybillTestInfrastructure infra = choice.kind() == InfrastructureChoice.Kind.TESTCONTAINERS
                ? containers() : embedded();
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "playbill-test-infra-stop"));
        log.info("Test infrastructure ({}: {}) ready in {} ms: Kafka {}, {}", choice.kind().name().toLowerCase(
                Locale.ROOT), choice.reason(), (System.nanoTime() - started) / 1_000_000, infra.kafkaBootstrapServers,
                infra.postgres.description());
        return infra;
    }

    private static PlaybillTestInfrastructure embedded() {
        Path work = workDirectory();
        PostgresServer postgres = PostgresServer.forTests(work.resolve("postgres"));
        EmbeddedKafkaBroker kafka;
        try {
            kafka = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new PlaybillTestInfrastructure(kafka.bootstrapServers(), postgres, () -> {
            try {
                kafka.close();
            } finally {
                postgres.close();
            }
        });
    }

    private static PlaybillTestInfrastructure containers() {
        Containers containers = Containers.start();
        return new PlaybillTestInfrastructure(containers.kafkaBootstrapServers(), containers.postgres(),
                containers::close);
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    /** A fresh, empty database. */
    public PostgresServer.Database createDatabase(String prefix) {
        return postgres.createDatabase(prefix);
    }

    /**
     * Runs as a JVM shutdown hook, like the hooks that close the Spring test contexts; those contexts' Kafka clients
     * and connection pools would spend their close timeouts calling a broker and a database already gone (and make
     * Surefire kill the JVM). So the infrastructure waits for them first, then stops.
     */
    private void stop() {
        awaitSpringContextsClosed(Duration.ofSeconds(60));
        try {
            stop.close();
        } catch (Exception e) {
            log.warn("The test infrastructure did not stop cleanly: {}", e.toString());
        }
    }

    private static void awaitSpringContextsClosed(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (SPRING_SHUTDOWN_HOOKS.contains(thread.getName()) && thread != Thread.currentThread()) {
                try {
                    thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A fresh directory per test JVM under the module's {@code target/} (not /tmp), so a failed run leaves its
     * broker log and database next to the build output for inspection, and {@code mvn clean} removes it.
     */
    private static Path workDirectory() {
        try {
            Path target = Path.of(System.getProperty("user.dir"), "target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "playbill-test-infra-");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the test infrastructure directory: " + e.getMessage(), e);
        }
    }
}
