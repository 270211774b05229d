package io.playbill.infra.test;

import io.playbill.infra.kafka.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The real infrastructure integration tests run against: one Kafka broker and one PostgreSQL server, started
 * on first use and shared by every test in the JVM (stopped when the JVM exits). Each test class takes its own
 * database through {@link #createDatabase(String)} so classes do not see each other's rows.
 */
public final class PlaybillTestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(PlaybillTestInfrastructure.class);
    private static PlaybillTestInfrastructure shared;
    /** The names of the threads that close Spring contexts at exit: Spring Boot's hook, and a plain context's. */
    private static final Set<String> SPRING_SHUTDOWN_HOOKS = Set.of("SpringApplicationShutdownHook",
            "SpringContextShutdownHook");

    private final EmbeddedKafkaBroker kafka;
    private final PostgresServer postgres;

    private PlaybillTestInfrastructure(EmbeddedKafkaBroker kafka, PostgresServer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** The JVM-wide instance, started on first call. */
    public static synchronized PlaybillTestInfrastructure shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static PlaybillTestInfrastructure start() {
        Path work = workDirectory();
        long started = System.nanoTime();
        PostgresServer postgres = PostgresServer.forTests(work.resolve("postgres"));
        EmbeddedKafkaBroker kafka;
        try {
            kafka = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        PlaybillTestInfrastructure infra = new PlaybillTestInfrastructure(kafka, postgres);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "playbill-test-infra-stop"));
        log.info("Test infrastructure ready in {} ms: Kafka {}, {}", (System.nanoTime() - started) / 1_000_000,
                kafka.bootstrapServers(), postgres.description());
        return infra;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
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
            kafka.close();
        } finally {
            postgres.close();
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
